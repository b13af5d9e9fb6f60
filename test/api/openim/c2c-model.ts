/**
 * A small reference model of C2C messages and read state, written straight from design.md
 * decisions 4–7 with no counters: every answer is recomputed from the message list.
 */

export interface ModelMessage {
  from: string
  to: string
  seq: number
  random: number
  time: number
  key: string
  text: string
  counted: boolean
  needReceipt: boolean
  senderSees: boolean
  recalled: boolean
  peerRead: boolean
}

export interface SendOptions {
  noUnread: boolean
  onlineOnly: boolean
  needReceipt: boolean
  hideFromSender: boolean
}

export class C2CModel {
  readonly messages: ModelMessage[] = []
  readonly #readTime = new Map<string, number>()

  readTime(reader: string, peer: string): number {
    return this.#readTime.get(`${reader}\n${peer}`) ?? 0
  }

  #inConversation(a: string, b: string, key: string): ModelMessage | undefined {
    return this.messages.find(
      (m) => m.key === key && ((m.from === a && m.to === b) || (m.from === b && m.to === a)),
    )
  }

  /** sendmsg/batchsendmsg to one recipient; returns the MsgKey answered and whether it was new. */
  send(
    from: string,
    to: string,
    seq: number,
    random: number,
    time: number,
    text: string,
    o: SendOptions,
  ): { key: string; added: boolean; delivered: boolean } {
    const first = this.messages.find(
      (m) => m.from === from && m.to === to && m.random === random && m.time === time,
    )
    if (first !== undefined) return { key: first.key, added: false, delivered: false }
    const key = `${seq}_${random}_${time}`
    if (o.onlineOnly) return { key, added: false, delivered: true }
    if (this.#inConversation(from, to, key) !== undefined) return { key, added: false, delivered: false }
    this.messages.push({
      ...{ from, to, seq, random, time, key, text },
      counted: from !== to && !o.noUnread,
      needReceipt: o.needReceipt,
      senderSees: !o.hideFromSender,
      recalled: false,
      peerRead: false,
    })
    return { key, added: true, delivered: true }
  }

  import(
    from: string,
    to: string,
    seq: number,
    random: number,
    time: number,
    text: string,
    mode: number,
  ): void {
    const key = `${seq}_${random}_${time}`
    if (this.#inConversation(from, to, key) !== undefined) return
    this.messages.push({
      ...{ from, to, seq, random, time, key, text },
      counted: from !== to && mode !== 2,
      needReceipt: false,
      senderSees: true,
      recalled: false,
      peerRead: false,
    })
  }

  withdraw(from: string, to: string, key: string): 0 | 20022 | 20023 {
    const m = this.messages.find((x) => x.from === from && x.to === to && x.key === key)
    if (m === undefined) return 20022
    if (m.recalled) return 20023
    m.recalled = true
    return 0
  }

  setRead(reader: string, peer: string, msgReadTime: number | undefined, now: number): number {
    const upTo = msgReadTime === undefined || msgReadTime > now ? now : msgReadTime
    const t = Math.max(this.readTime(reader, peer), upTo)
    this.#readTime.set(`${reader}\n${peer}`, t)
    return t
  }

  receipt(reader: string, peer: string, keys: string[]): void {
    for (const m of this.messages) {
      if (m.from === peer && m.to === reader && keys.includes(m.key) && m.needReceipt && !m.recalled) {
        m.peerRead = true
      }
    }
  }

  unread(reader: string, peer: string): number {
    const t = this.readTime(reader, peer)
    return this.messages.filter(
      (m) => m.from === peer && m.to === reader && m.counted && !m.recalled && m.time > t,
    ).length
  }

  total(reader: string, users: readonly string[]): number {
    return users.reduce((n, p) => n + (p === reader ? 0 : this.unread(reader, p)), 0)
  }

  /** The viewer's history with peer, newest first, as admin_getroammsg lists it. */
  history(viewer: string, peer: string): ModelMessage[] {
    return this.messages
      .filter(
        (m) => (m.from === peer && m.to === viewer) || (m.from === viewer && m.to === peer && m.senderSees),
      )
      .sort((a, b) => b.time - a.time || b.seq - a.seq || b.random - a.random)
  }
}
