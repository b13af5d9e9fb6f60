/**
 * Webhook events as the domain records them (spec §7). `body` is the exact JSON Tencent sends for
 * the command, without the query-string parameters the dispatcher adds at delivery.
 */

/** Callback commands receiptd fires after an event (spec §7.9). */
export const afterEventCommands = [
  'C2C.CallbackAfterSendMsg',
  'C2C.CallbackAfterMsgReport',
  'C2C.CallbackAfterMsgWithDraw',
  'Group.CallbackAfterSendMsg',
  'Group.CallbackAfterReadReceipt',
  'Group.CallbackAfterRecallMsg',
  'Group.CallbackAfterNewMemberJoin',
  'Group.CallbackAfterMemberExit',
  'Group.CallbackAfterCreateGroup',
  'Group.CallbackAfterGroupDestroyed',
  'Group.CallbackSendMsgException',
  'Group.CallbackAfterGroupInfoChanged',
  'Group.CallbackAfterGroupFull',
  'Profile.CallbackPortraitSet',
] as const

export type AfterEventCommand = (typeof afterEventCommands)[number]

/**
 * The synchronous callbacks asked before a message is stored or a group created (spec §7.4, §7.7,
 * spec part 2 §21.1).
 */
export const beforeSendCommands = [
  'C2C.CallbackBeforeSendMsg',
  'Group.CallbackBeforeSendMsg',
  'Group.CallbackBeforeCreateGroup',
] as const

export type BeforeSendCommand = (typeof beforeSendCommands)[number]

/** Every callback an app may enable in its config. */
export const callbackCommands = [...beforeSendCommands, ...afterEventCommands] as const

export type CallbackCommand = (typeof callbackCommands)[number]

/** `OptPlatform` of an event caused by a REST call (spec §7.1). */
export const REST_PLATFORM = 'RESTAPI'

export interface WebhookEvent {
  command: AfterEventCommand
  /** Events with the same key are delivered in the order they were recorded (a conversation, a group). */
  orderingKey: string
  body: { CallbackCommand: AfterEventCommand } & Record<string, unknown>
  createdMs: number
  /**
   * `ClientIP` of the delivery (spec §7.1). Commands leave it out: the gateway fills in the REST
   * caller's address for every event written during a request.
   */
  clientIp?: string
  /** `OptPlatform`; `RESTAPI` unless given. */
  optPlatform?: string
}
