/**
 * The WeChat simulator: createWechatSimulator() for mounting its router in an app,
 * startWechatSimulatorServer() for running it on a port of its own.
 */
export { createWechatSimulator } from './create-simulator.js';
export type { SimulatorState, WechatSimulator } from './create-simulator.js';
export type { MessageMode, UrlSource, WechatSimulatorOptions } from './options.js';
export type { PushResult, RawPushInput, ScanInput, SimulatedPhone } from './phone.js';
export type { PushTampering } from './push-envelope.js';
export type { SimulatorFaults } from './faults.js';
export type { SimulatorCounters, SimulatorStats } from './stats.js';
export type { SimulatedTicket } from './tickets.js';
export type { SimulatedUser, UserSeed } from './users.js';
export { buildPushEnvelope, sha1OfSorted } from './push-envelope.js';
export { startWechatSimulatorServer } from './server.js';
export type { RunningWechatSimulator, WechatSimulatorServerOptions } from './server.js';
