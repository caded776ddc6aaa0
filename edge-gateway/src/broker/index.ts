// MQTT security for a point: credentials (hashes only), one ACL table, the embedded aedes broker,
// and the same users/ACL written as Mosquitto 2 config. Wiring in the gateway:
//
//   const creds = await CredentialStore.open(dataDir, { log: root.child('broker') });
//   const broker = await startEmbeddedBroker({ host, port, credentials: creds, log: root.child('broker') });
//   const link = new MqttNodeLink({ url: broker.url, ...creds.gateway, log: root.child('mqtt') });
//   await link.start();
export * from './acl.js';
export * from './credentials.js';
export * from './embedded-broker.js';
export * from './mosquitto-config.js';
export { generateSecret } from './password-hash.js';
