/** Numbers of spec §6 that decide answers; named once so commands and tests agree. */

/** create_group `MemberList` (10005 beyond, spec §6.2). */
export const MAX_CREATE_MEMBERS = 100
/** add_group_member `MemberList` (10005 beyond): the API page's 300, not the limits page's 100 (spec §6.3). */
export const MAX_ADD_MEMBERS = 300
/** delete_group_member `MemberToDel_Account` (10004 beyond, spec §6.4). */
export const MAX_DELETE_MEMBERS = 100
/** Byte limits of create_group's text fields (spec §6.2). */
export const MAX_NAME_BYTES = 30
export const MAX_INTRODUCTION_BYTES = 240
export const MAX_NOTIFICATION_BYTES = 300
export const MAX_FACE_URL_BYTES = 100
/** [U] Default and largest `MaxMemberCount`: receiptd has no paid packages, so Community's 100,000. */
export const MAX_GROUP_MEMBERS = 100_000
/** Targeted messages go to at most 50 members (spec §6.6). */
export const MAX_TARGETS = 50
/** MsgBody of a group message: 12 KB (design.md decision 13, 80002 beyond). */
export const MAX_GROUP_MSG_BODY_BYTES = 12 * 1024
/** The same Random and content within 5 minutes is a duplicate (spec §6.6). */
export const DUPLICATE_WINDOW_SECONDS = 300
/** group_msg_get_simple returns at most 20 messages a call (spec §6.7). */
export const MAX_HISTORY_PAGE = 20
/** group_msg_recall takes at most 10 seqs (spec §6.8). */
export const MAX_RECALL_SEQS = 10
/** group_msg_receipt acknowledges at most 50 seqs (spec §6.11, design.md decision 10). */
export const MAX_RECEIPT_SEQS = 50
/** [U] get_group_msg_receipt's list length is undocumented; receiptd takes up to 100. */
export const MAX_RECEIPT_QUERY_SEQS = 100
/** get_group_msg_receipt_detail pages hold at most 200 members; more is read as 200 (decision 11). */
export const MAX_DETAIL_PAGE = 200

/** Message priorities as group_msg_get_simple reports them (spec §6.7). */
export const PRIORITIES = { High: 1, Normal: 2, Low: 3, Lowest: 4 } as const
export type Priority = keyof typeof PRIORITIES
