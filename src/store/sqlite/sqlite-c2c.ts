/**
 * C2CStore on SQLite. Every statement is scoped by app_id; counters change by `x = x + d` only.
 * Message columns are written as `messageColumns` (rows/c2c-rows.ts) gives them.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import type { MsgKey } from '../../domain/c2c/msg-key.js'
import type { NewMessage } from '../../domain/c2c/rules.js'
import type {
  AddOutcome,
  C2CStore,
  HistoryPage,
  HistoryQuery,
  ReadOutcome,
  SendOutcome,
  UnreadCounts,
  WithdrawOutcome,
} from '../c2c.js'
import { chunks, placeholders, type Statements } from './statements.js'
import { messageColumns, pair, toMessage, type MessageRow } from '../rows/c2c-rows.js'

export class SqliteC2C implements C2CStore {
  readonly #s: Statements
  readonly #app: number

  constructor(statements: Statements, sdkAppId: number) {
    this.#s = statements
    this.#app = sdkAppId
  }

  async addMessage(m: NewMessage): Promise<AddOutcome> {
    const [lo, hi] = pair(m.from, m.to)
    const inserted = this.#s
      .get(
        `INSERT INTO c2c_messages (app_id, user_lo, user_hi, from_id, to_id, msg_seq, msg_random, msg_time,
           msg_key, body, cloud_custom_data, need_receipt, counted, sender_sees, uncounted, recipient_sees)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (app_id, user_lo, user_hi, msg_key) DO NOTHING`,
      )
      .run(
        this.#app,
        lo,
        hi,
        m.from,
        m.to,
        ...messageColumns(m).map((v) => (typeof v === 'boolean' ? Number(v) : v)),
      )
    if (inserted.changes === 0) return { added: false }
    if (m.counted) {
      this.#ensureConversation(m.to, m.from)
      const bumped = this.#s
        .get(
          `UPDATE c2c_conversations SET unread = unread + 1
           WHERE app_id = ? AND owner_id = ? AND peer_id = ? AND read_time < ?`,
        )
        .run(this.#app, m.to, m.from, m.msgTime)
      if (bumped.changes > 0) this.#addToTotal(m.to, 1)
    }
    return { added: true, recipientUnreadTotal: await this.unreadTotal(m.to) }
  }

  async send(m: NewMessage, recentOwners: readonly UserId[]): Promise<SendOutcome> {
    // Write transactions run one at a time here, so the checks and the write need no lock.
    if (!this.#isAccount(m.from)) return { sent: 'unknown-sender' }
    if (!this.#isAccount(m.to)) return { sent: 'unknown-recipient' }
    const first = await this.findSameSecond(m.from, m.to, m.msgRandom, m.msgTime)
    if (first !== undefined) return { sent: 'same-second', msgKey: first }
    const added = await this.addMessage(m)
    if (added.added) {
      // As SqlRecent.touchC2C: each owner's entry moves to this message's time, never back.
      for (const owner of new Set(recentOwners)) {
        this.#s
          .get(
            `INSERT INTO recent_c2c AS r (app_id, owner_id, peer_id, msg_time) VALUES (?, ?, ?, ?)
             ON CONFLICT (app_id, owner_id, peer_id) DO UPDATE SET msg_time = excluded.msg_time
             WHERE r.msg_time < excluded.msg_time`,
          )
          .run(this.#app, owner, owner === m.from ? m.to : m.from, m.msgTime)
      }
    }
    return added
  }

  async findSameSecond(
    from: UserId,
    to: UserId,
    msgRandom: number,
    msgTime: number,
  ): Promise<MsgKey | undefined> {
    const [lo, hi] = pair(from, to)
    const row = this.#s
      .get(
        `SELECT msg_key FROM c2c_messages WHERE app_id = ? AND user_lo = ? AND user_hi = ? AND msg_time = ?
           AND msg_random = ? AND from_id = ? AND to_id = ? LIMIT 1`,
      )
      .get(this.#app, lo, hi, msgTime, msgRandom, from, to) as { msg_key: MsgKey } | undefined
    return row?.msg_key
  }

  /** Write transactions already run one at a time (the group commit), so there is nothing to wait for. */
  async lockConversations(): Promise<void> {}

  async withdraw(from: UserId, to: UserId, msgKey: MsgKey): Promise<WithdrawOutcome> {
    const [lo, hi] = pair(from, to)
    const row = this.#s
      .get(
        `SELECT recalled, counted, msg_time FROM c2c_messages
         WHERE app_id = ? AND user_lo = ? AND user_hi = ? AND msg_key = ? AND from_id = ? AND to_id = ?`,
      )
      .get(this.#app, lo, hi, msgKey, from, to) as
      { recalled: number; counted: number; msg_time: number } | undefined
    if (row === undefined) return { withdrawn: false, reason: 'not-found' }
    const changed = this.#s
      .get(
        `UPDATE c2c_messages SET recalled = 1
         WHERE app_id = ? AND user_lo = ? AND user_hi = ? AND msg_key = ? AND recalled = 0`,
      )
      .run(this.#app, lo, hi, msgKey)
    if (changed.changes === 0) return { withdrawn: false, reason: 'already-recalled' }
    if (row.counted === 1) {
      const dropped = this.#s
        .get(
          `UPDATE c2c_conversations SET unread = unread - 1
           WHERE app_id = ? AND owner_id = ? AND peer_id = ? AND read_time < ?`,
        )
        .run(this.#app, to, from, row.msg_time)
      if (dropped.changes > 0) this.#addToTotal(to, -1)
    }
    return { withdrawn: true, recipientUnreadTotal: await this.unreadTotal(to) }
  }

  async markRead(reader: UserId, peer: UserId, upTo: number): Promise<ReadOutcome> {
    this.#ensureConversation(reader, peer)
    const conv = this.#s
      .get(
        'SELECT read_time, unread FROM c2c_conversations WHERE app_id = ? AND owner_id = ? AND peer_id = ?',
      )
      .get(this.#app, reader, peer) as { read_time: number; unread: number }
    if (upTo > conv.read_time) {
      // Uses c2c_messages_unread: only messages after the new read time are visited.
      const { n } = this.#s
        .get(
          `SELECT count(*) AS n FROM c2c_messages WHERE app_id = ? AND to_id = ? AND from_id = ?
             AND counted = 1 AND recalled = 0 AND msg_time > ?`,
        )
        .get(this.#app, reader, peer, upTo) as { n: number }
      this.#s
        .get(
          `UPDATE c2c_conversations SET read_time = ?, unread = unread + ?
           WHERE app_id = ? AND owner_id = ? AND peer_id = ?`,
        )
        .run(upTo, n - conv.unread, this.#app, reader, peer)
      if (n !== conv.unread) this.#addToTotal(reader, n - conv.unread)
    }
    return { readTime: Math.max(upTo, conv.read_time), readerUnreadTotal: await this.unreadTotal(reader) }
  }

  async ackReceipts(
    reader: UserId,
    peer: UserId,
    msgKeys: readonly MsgKey[],
  ): Promise<number | 'unknown-account'> {
    if (!this.#isAccount(reader) || !this.#isAccount(peer)) return 'unknown-account'
    const [lo, hi] = pair(reader, peer)
    let changed = 0
    for (const part of chunks([...new Set(msgKeys)])) {
      changed += this.#s
        .get(
          `UPDATE c2c_messages SET peer_read = 1
           WHERE app_id = ? AND user_lo = ? AND user_hi = ? AND from_id = ? AND to_id = ?
             AND msg_key IN (${placeholders(part.length)}) AND need_receipt = 1 AND recalled = 0 AND peer_read = 0`,
        )
        .run(this.#app, lo, hi, peer, reader, ...part).changes
    }
    return changed
  }

  async unreadTotal(user: UserId): Promise<number> {
    const row = this.#s
      .get('SELECT unread FROM c2c_unread_totals WHERE app_id = ? AND user_id = ?')
      .get(this.#app, user) as { unread: number } | undefined
    return row?.unread ?? 0
  }

  async unreadCounts(user: UserId, peers: readonly UserId[]): Promise<UnreadCounts | undefined> {
    if (!this.#isAccount(user)) return undefined
    const unread = this.#s.get(
      'SELECT unread FROM c2c_conversations WHERE app_id = ? AND owner_id = ? AND peer_id = ?',
    )
    const counts = new Map<UserId, number>()
    for (const p of new Set(peers)) {
      if (!this.#isAccount(p)) continue
      const row = unread.get(this.#app, user, p) as { unread: number } | undefined
      counts.set(p, row?.unread ?? 0)
    }
    return { total: await this.unreadTotal(user), peers: counts }
  }

  #isAccount(user: UserId): boolean {
    return (
      this.#s.get('SELECT 1 FROM accounts WHERE app_id = ? AND user_id = ?').get(this.#app, user) !==
      undefined
    )
  }

  async history(q: HistoryQuery): Promise<HistoryPage> {
    const [lo, hi] = pair(q.viewer, q.peer)
    const b = q.before
    const rows = this.#s
      .get(
        `SELECT * FROM c2c_messages
         WHERE app_id = ? AND user_lo = ? AND user_hi = ? AND msg_time BETWEEN ? AND ?
           AND ((to_id = ? AND recipient_sees = 1) OR (from_id = ? AND sender_sees = 1))
           ${b === undefined ? '' : 'AND (msg_time, msg_seq, msg_random) < (?, ?, ?)'}
         ORDER BY msg_time DESC, msg_seq DESC, msg_random DESC LIMIT ?`,
      )
      .all(
        this.#app,
        lo,
        hi,
        q.minTime,
        q.maxTime,
        q.viewer,
        q.viewer,
        ...(b === undefined ? [] : [b.msgTime, b.msgSeq, b.msgRandom]),
        q.limit + 1,
      ) as MessageRow[]
    return { messages: rows.slice(0, q.limit).map(toMessage), more: rows.length > q.limit }
  }

  #ensureConversation(owner: UserId, peer: UserId): void {
    this.#s
      .get(
        `INSERT INTO c2c_conversations (app_id, owner_id, peer_id) VALUES (?, ?, ?)
         ON CONFLICT (app_id, owner_id, peer_id) DO NOTHING`,
      )
      .run(this.#app, owner, peer)
  }

  #addToTotal(user: UserId, delta: number): void {
    this.#s
      .get(
        `INSERT INTO c2c_unread_totals (app_id, user_id, unread) VALUES (?, ?, ?)
         ON CONFLICT (app_id, user_id) DO UPDATE SET unread = unread + excluded.unread`,
      )
      .run(this.#app, user, delta)
  }
}
