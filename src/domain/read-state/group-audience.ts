/**
 * The audience rule of design.md decision 8, stated once as a pure function: the members at send
 * time, minus the sender, minus members who have since left. A rejoin is a new membership, which
 * joined after the message and so is not in its audience. ReadNum + UnreadNum = |audience|.
 *
 * Stores keep counts current on write instead of evaluating this per member; tests hold them to it.
 */
export interface Membership {
  userId: string
  /** The group's last MsgSeq when this membership began: it sees messages with a greater seq. */
  joinSeq: number
  /** False once the member has left; a later rejoin is another Membership. */
  active: boolean
}

export interface ReceiptMessage {
  seq: number
  sender: string
}

export function inAudience(m: Membership, msg: ReceiptMessage): boolean {
  return m.active && m.joinSeq < msg.seq && m.userId !== msg.sender
}
