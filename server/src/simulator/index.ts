/**
 * The WeChat simulator: createWechatSimulator() for mounting its router in an app,
 * startWechatSimulatorServer() for running it on a port of its own.
 */
export { createWechatSimulator } from './create-simulator.js';
export type { SimulatorState, WechatSimulator } from './create-simulator.js';
export type { MessageMode, UrlSource, WechatSimulatorOptions } from './options.js';
export type { AnswerOptions, ConfirmationAnswer, PushResult, RawPushInput, ScanInput, SimulatedPhone } from './phone.js';
export { createInAppBrowser, linksInReply, MOBILE_SAFARI_USER_AGENT, WECHAT_IN_APP_USER_AGENT } from './in-app-browser.js';
export type { InAppBrowser, InAppBrowserOptions, PageVisit, ReplyLink } from './in-app-browser.js';
export type { CookieJar, StoredCookie } from './cookie-jar.js';
export type { PushTampering } from './push-envelope.js';
export type { OAuthFaultKind, SimulatorFaults } from './faults.js';
export type { SimulatorCounters, SimulatorStats } from './stats.js';
export type { SimulatedTicket } from './tickets.js';
export type { SimulatedUser, UserSeed } from './users.js';
export { WECHAT_IDENTITY_COOKIE } from './wechat-identity-cookie.js';
export { buildPushEnvelope, sha1OfSorted } from './push-envelope.js';
export { startWechatSimulatorServer } from './server.js';
export type { RunningWechatSimulator, WechatSimulatorServerOptions } from './server.js';
