/**
 * The hospital's simulated outside systems: the FHIR HIS and the BHXH gateway, started in-process
 * when a profile's `his` or `insurance` adapter is `sim`, and by `cccd-kiosk his-sim`. The only
 * hospital module that reaches ../sim (a lint rule holds it); loaded only when a simulator runs.
 */
export { startHisSim } from '../sim/his/server.ts';
export { DEMO_RETURNING_PATIENTS } from '../sim/his/demo-hospital.ts';
export { startInsuranceSim } from '../sim/insurance/server.ts';
export { SCENARIO_PREFIX } from '../sim/insurance/demo-cards.ts';
export { startTerminalSim } from '../../../sim/payment-terminal/server.ts';
