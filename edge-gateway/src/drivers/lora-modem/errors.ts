// Typed failures of a LoRa modem, shared by every module driver (RAK3172, RN2483, Wio-E5), so the
// relay can decide per class: wait for airtime, rejoin, shrink the payload, or fail over to MQTT.

export class LoraModemError extends Error {
  override name = 'LoraModemError';
}

/** The modem is transmitting or in its receive windows (AT_BUSY_ERROR); retry after the current send. */
export class ModemBusyError extends LoraModemError {
  override name = 'ModemBusyError';
}

/** Uplink refused because the device has not joined (AT_NO_NETWORK_JOINED). */
export class NotJoinedError extends LoraModemError {
  override name = 'NotJoinedError';
}

/** Every sub-band the modem may use is still in its duty-cycle off time. */
export class DutyCycleError extends LoraModemError {
  override name = 'DutyCycleError';
}

/** The modem rejected a parameter (AT_PARAM_ERROR, AT_TEST_PARAM_OVERFLOW). */
export class ModemParamError extends LoraModemError {
  override name = 'ModemParamError';
}

/** Payload longer than the current data rate's maximum application payload; checked before sending. */
export class PayloadTooLargeError extends LoraModemError {
  override name = 'PayloadTooLargeError';
  constructor(
    readonly bytes: number,
    readonly max: number,
    readonly dr: number,
  ) {
    super(`payload of ${bytes} bytes exceeds ${max} bytes at DR${dr}`);
  }
}

/** A confirmed uplink got no acknowledgement from the network. */
export class ConfirmedSendFailedError extends LoraModemError {
  override name = 'ConfirmedSendFailedError';
  constructor(
    message: string,
    /** Code the firmware printed with the failure, if any (RUI3: `SEND_CONFIRMED_FAILED(<n>)`). */
    readonly code: number | null,
  ) {
    super(message);
  }
}

export class JoinFailedError extends LoraModemError {
  override name = 'JoinFailedError';
}

/** No reply, or no completion event, within the allowed time. */
export class ModemTimeoutError extends LoraModemError {
  override name = 'ModemTimeoutError';
}

/** The modem stopped answering and a reset did not bring it back; or the port is closed. */
export class ModemDownError extends LoraModemError {
  override name = 'ModemDownError';
}

/** Any other error reply (AT_ERROR, AT_RX_ERROR, AT_MODE_NO_SUPPORT …). */
export class ModemCommandError extends LoraModemError {
  override name = 'ModemCommandError';
  constructor(
    message: string,
    readonly reply: string,
  ) {
    super(message);
  }
}
