/**
 * The airport's simulated outside systems: `dcs-sim` (the airline's DCS, the BSM inbox, the token
 * store, an e-gate and a bench scale), started in-process when the profile's `dcs.adapter` is `sim`,
 * and by `cccd-kiosk dcs-sim`. The only airport module that reaches ../sim (a lint rule holds it);
 * loaded only when a simulator runs.
 */
export { startDcsSim } from '../sim/dcs-sim.ts';
