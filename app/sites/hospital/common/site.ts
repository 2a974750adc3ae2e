/**
 * The hospital site module, pure half: outpatient registration (BHYT check, examination type,
 * clinic, VietQR fee, queue ticket). Its Node half is ../node/site.ts.
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
});
