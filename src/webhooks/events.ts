/**
 * Webhook events as the domain records them (spec §7). `body` is the exact JSON Tencent sends for
 * the command, without the query-string parameters the dispatcher adds at delivery.
 */

/** Callback commands receiptd fires after an event (spec §7.9). */
export type AfterEventCommand =
  | 'C2C.CallbackAfterSendMsg'
  | 'C2C.CallbackAfterMsgReport'
  | 'C2C.CallbackAfterMsgWithDraw'
  | 'Group.CallbackAfterSendMsg'
  | 'Group.CallbackAfterReadReceipt'
  | 'Group.CallbackAfterRecallMsg'
  | 'Group.CallbackAfterNewMemberJoin'
  | 'Group.CallbackAfterMemberExit'
  | 'Group.CallbackAfterCreateGroup'
  | 'Group.CallbackAfterGroupDestroyed'

export interface WebhookEvent {
  command: AfterEventCommand
  /** Events with the same key are delivered in the order they were recorded (a conversation, a group). */
  orderingKey: string
  body: { CallbackCommand: AfterEventCommand } & Record<string, unknown>
  createdMs: number
}
