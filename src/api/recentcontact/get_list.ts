/**
 * Pages through a user's conversation list (spec part 2 §17.1): pinned entries first when the caller
 * supports them, then ordinary ones, each section in ascending MsgTime with its own cursor. The list
 * carries no unread counts and no message content, as Tencent's.
 */
import type { UserId } from '../../domain/accounts/user-id.js'
import { TencentError } from '../../domain/codes.js'
import {
  ASSIST_PAGE_PINNED,
  ASSIST_PINNED,
  LIST_PAGE_SIZE,
  MAX_PINNED_ON_FIRST_PAGE,
  nextCursor,
  type Cursor,
} from '../../domain/conversations/list-page.js'
import type { RecentEntry, RecentReads } from '../../store/recent.js'
import { command } from '../command.js'
import { f } from '../fields.js'

const cursorField = f.int({ missing: 50002, max: 0xffffffff })

function sessionItem(e: RecentEntry, topFlag: boolean) {
  const who = e.kind === 'c2c' ? { Type: 1, To_Account: e.id } : { Type: 2, GroupId: e.id }
  return { ...who, MsgTime: e.msgTime, TopFlag: topFlag && e.pinned ? 1 : 0 }
}

/** One section's page: up to `limit` entries from `cursor`, and whether more follow. */
async function section(
  recent: RecentReads,
  q: { owner: UserId; pinned: boolean | undefined },
  cursor: Cursor,
  limit: number,
): Promise<{ entries: RecentEntry[]; more: boolean }> {
  const rows = await recent.list({ ...q, fromTime: cursor.time, skip: cursor.index, limit: limit + 1 })
  return { entries: rows.slice(0, limit), more: rows.length > limit }
}

export const get_list = command({
  service: 'recentcontact',
  name: 'get_list',
  perSecond: 200,
  request: {
    From_Account: f.userId({ missing: 50002 }),
    TimeStamp: cursorField,
    StartIndex: cursorField,
    TopTimeStamp: cursorField,
    TopStartIndex: cursorField,
    // Bit 1 (empty conversations) changes nothing: receiptd never empties a listed conversation,
    // since deleting one removes it and messages do not expire [U].
    AssistFlags: f.int({ missing: 50002, max: 7 }),
  },
  async run(req, { clock, read }) {
    const owner = req.From_Account
    const pinnedSection = (req.AssistFlags & ASSIST_PINNED) !== 0
    const ordinaryFrom = { time: req.TimeStamp, index: req.StartIndex }
    const topFrom = { time: req.TopTimeStamp, index: req.TopStartIndex }
    const firstPage = req.TimeStamp === 0 && req.StartIndex === 0
    const page = await read(async (tx) => {
      if (!(await tx.accounts.existing([owner])).has(owner)) throw new TencentError(50001)
      const ordinary = await section(
        tx.recent,
        { owner, pinned: pinnedSection ? false : undefined },
        ordinaryFrom,
        LIST_PAGE_SIZE,
      )
      let top = { entries: [] as RecentEntry[], more: false }
      if (pinnedSection && (req.AssistFlags & ASSIST_PAGE_PINNED) !== 0) {
        top = await section(tx.recent, { owner, pinned: true }, topFrom, LIST_PAGE_SIZE)
      } else if (pinnedSection && firstPage) {
        top = await section(
          tx.recent,
          { owner, pinned: true },
          { time: 0, index: 0 },
          MAX_PINNED_ON_FIRST_PAGE,
        )
      }
      return { ordinary, top }
    })
    const now = clock.nowSeconds()
    const next = nextCursor(
      ordinaryFrom,
      page.ordinary.entries.map((e) => e.msgTime),
      page.ordinary.more,
      now,
    )
    const nextTop = nextCursor(
      topFrom,
      page.top.entries.map((e) => e.msgTime),
      page.top.more,
      now,
    )
    return {
      SessionItem: [
        ...page.top.entries.map((e) => sessionItem(e, true)),
        ...page.ordinary.entries.map((e) => sessionItem(e, false)),
      ],
      CompleteFlag: page.ordinary.more || page.top.more ? 0 : 1,
      TimeStamp: next.time,
      StartIndex: next.index,
      TopTimeStamp: nextTop.time,
      TopStartIndex: nextTop.index,
    }
  },
})
