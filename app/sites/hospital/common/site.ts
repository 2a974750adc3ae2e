/**
 * The hospital site module, pure half: outpatient registration (BHYT check, examination type,
 * clinic, VietQR fee, queue ticket), bills paid at the kiosk (terminal or VietQR), and the identity
 * check at a clinic's door. Its Node half is ../node/site.ts.
 */
import { defineSite } from '../../../core/sites/site-module.ts';
import { hospitalConfig } from './config.ts';
import { hospitalViews } from './schemas.ts';

export const hospital = defineSite({
  kind: 'hospital',
  config: hospitalConfig,
  views: hospitalViews,
  returningByFace: (settings) => settings.returningByFace,
  personalDataDays: (settings) => settings.visitRetentionDays,
  // Reception: register, or pay bills where the kiosk has a way to take money. A clinic's door: one thing only.
  purposes: (settings) => (settings.role === 'clinic-check' ? [] : settings.terminal || settings.payment ? ['register', 'pay'] : ['register']),
});
