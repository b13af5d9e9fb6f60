/**
 * Who has read a group message, or who has not (spec §6.13, design.md decision 11): `Filter` 0
 * lists readers in `ReadList`, 1 non-readers in `UnreadList`. Pages follow membership order behind
 * an opaque `Cursor`, so each audience member appears once across pages; the last page answers
 * `Cursor: "0"` with `IsFinish` and `IsFinished` both 1.
 */
import { TencentError } from '../../domain/codes.js'
import { MAX_DETAIL_PAGE } from '../../domain/groups/limits.js'
import { decodeCursor, encodeCursor, LAST_PAGE } from '../../domain/read-state/receipt-cursor.js'
import { command } from '../command.js'
import { f } from '../fields.js'
import { findReceiptGroup, groupId } from './group-fields.js'

export const get_group_msg_receipt_detail = command({
  service: 'group_open_http_svc',
  name: 'get_group_msg_receipt_detail',
  perSecond: 200,
  request: {
    GroupId: groupId(),
    // Spec §6.13: required per the latest zh page; the INTL page's "optional" is not followed.
    MsgSeq: f.int({ missing: 10004 }),
    Filter: f.int({ missing: 10004, min: 0, max: 1 }),
    Cursor: f.string({ missing: 10004, allowEmpty: true }),
    Count: f.int({ missing: 10004, min: 1, max: Number.MAX_SAFE_INTEGER }),
  },
  async run(req, { app, read }) {
    const after = decodeCursor(req.Cursor)
    if (after === undefined) throw new TencentError(10004, 'Cursor is not one this server returned')
    const readers = req.Filter === 0
    const page = await read(async (tx) => {
      await findReceiptGroup(tx, req.GroupId, app)
      const limit = Math.min(req.Count, MAX_DETAIL_PAGE)
      return tx.groupReceipts.members(req.GroupId, req.MsgSeq, { read: readers, after, limit })
    })
    if (page === undefined) throw new TencentError(10062)
    const done = page.next === undefined ? 1 : 0
    const list = readers
      ? { ReadList: page.members.map((u) => ({ Read_Account: u })) }
      : { UnreadList: page.members.map((u) => ({ Unread_Account: u })) }
    return {
      MsgSeq: req.MsgSeq,
      Cursor: page.next === undefined ? LAST_PAGE : encodeCursor(page.next),
      IsFinish: done,
      IsFinished: done,
      ...list,
    }
  },
})
