/**
 * The gate's simulated outside world for demos and tests: the device simulator (relay module,
 * Hikvision terminal, hosts' webhook) and the demo factory that fills an empty site store. The only
 * gate module that reaches ../sim (a lint rule holds it); loaded only when a profile asks for it.
 */
export { startDevicesSim, type DevicesSim } from '../sim/devices-sim.ts';
export { BLOCKLIST_PHOTO_PATH, DEMO_CARD_VISITOR, DEMO_CARD_WORKER, DEMO_HOLIDAYS, DEMO_PLANS, demoFaces, demoGroups, syntheticWorkers } from '../sim/demo-factory.ts';
