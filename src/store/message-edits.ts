/**
 * The message-edit concern of the store (spec part 2 §18): a stored message's content (MsgBody and
 * CloudCustomData) read and overwritten in place. Nothing else of the message changes: not its
 * key, seq, time, sender, recall state, read state or receipts.
 */
import type { UserId } from '../domain/accounts/user-id.js'
import type { MsgKey } from '../domain/c2c/msg-key.js'
import type { GroupId } from '../domain/groups/group-id.js'

export interface MessageContent {
  body: unknown
  cloudCustomData: string
}

export interface EditableMessage extends MessageContent {
  recalled: boolean
  /** Group messages sent online only are kept in no history. */
  onlineOnly: boolean
}

export interface MessageEditStore {
  /** The C2C message `from` sent `to` with this key, or undefined. */
  c2cMessage(from: UserId, to: UserId, msgKey: MsgKey): Promise<EditableMessage | undefined>
  /** Overwrites its content unless it was recalled meanwhile; false when nothing was changed. */
  setC2CContent(from: UserId, to: UserId, msgKey: MsgKey, content: MessageContent): Promise<boolean>
  groupMessage(groupId: GroupId, seq: number): Promise<EditableMessage | undefined>
  setGroupContent(groupId: GroupId, seq: number, content: MessageContent): Promise<boolean>
}
