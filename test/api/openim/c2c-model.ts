/**
 * A small reference model of C2C messages and read state, written straight from design.md
 * decisions 4–7 with no counters: every answer is recomputed from the message list. It also keeps
 * each user's conversation list (spec part 2 §17): the newest time per peer, moved by every stored
 * message, and recentcontact/delete's effects (the entry, the unread messages, the history).
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
  recipientSees: boolean
  recalled: boolean
  peerRead: boolean
}

export interface SendOptions {
  noUnread: boolean
  onlineOnly: boolean
  needReceipt: boolean
  hideFromSender: boolean
  noLastMsg: boolean
}

export class C2CModel {
  readonly messages: ModelMessage[] = []
  readonly #readTime = new Map<string, number>()
  /** owner → peer → MsgTime of the conversation-list entry. */
  readonly #entries = new Map<string, Map<string, number>>()

  #touch(owner: string, peer: string, time: number): void {
    const list = this.#entries.get(owner) ?? new Map<string, number>()
    list.set(peer, Math.max(list.get(peer) ?? 0, time))
    this.#entries.set(owner, list)
  }

  /** The conversation list as get_list answers it: ascending time, then peer. */
  list(owner: string): { peer: string; time: number }[] {
    return [...(this.#entries.get(owner) ?? new Map<string, number>())]
      .map(([peer, time]) => ({ peer, time }))
      .sort((a, b) => a.time - b.time || (a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0))
  }

  /**
   * recentcontact/delete: the entry goes; the peer's messages unread by `owner` never count again;
   * with `clear`, the conversation leaves `owner`'s history.
   */
  deleteConversation(owner: string, peer: string, clear: boolean): void {
    this.#entries.get(owner)?.delete(peer)
    const t = this.readTime(owner, peer)
    for (const m of this.messages) {
      if (m.from === peer && m.to === owner && m.counted && !m.recalled && m.time > t) m.counted = false
      if (clear && m.from === owner && m.to === peer) m.senderSees = false
      if (clear && m.to === owner && m.from === peer) m.recipientSees = false
    }
  }

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
      recipientSees: true,
      recalled: false,
      peerRead: false,
    })
    if (!o.noLastMsg) {
      this.#touch(to, from, time)
      if (!o.hideFromSender) this.#touch(from, to, time)
    }
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
      recipientSees: true,
      recalled: false,
      peerRead: false,
    })
    this.#touch(to, from, time)
    this.#touch(from, to, time)
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
        (m) =>
          (m.from === peer && m.to === viewer && m.recipientSees) ||
          (m.from === viewer && m.to === peer && m.senderSees),
      )
      .sort((a, b) => b.time - a.time || b.seq - a.seq || b.random - a.random)
  }
}
