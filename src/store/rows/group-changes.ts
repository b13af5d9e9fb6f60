/**
 * The SET lists of the group admin writes (spec part 2 §15), shared by both engines: each given
 * field becomes a `column = <placeholder>` pair, so one statement applies them all or none.
 */
import type { GroupChange, MemberChange } from '../groups.js'

const GROUP_COLUMNS: Record<keyof GroupChange, string> = {
  name: 'name',
  introduction: 'introduction',
  notification: 'notification',
  faceUrl: 'face_url',
  maxMembers: 'max_members',
  applyJoinOption: 'apply_join_option',
  muteAllMember: 'mute_all_member',
}

const MEMBER_COLUMNS: Record<keyof MemberChange, string> = {
  role: 'role',
  msgFlag: 'msg_flag',
  nameCard: 'name_card',
  muteUntil: 'mute_until',
}

/** `[columns, values]` of the fields present in `change`. */
function sets<C extends object>(columns: Record<keyof C, string>, change: C): [string[], unknown[]] {
  const cols: string[] = []
  const values: unknown[] = []
  for (const [k, col] of Object.entries(columns) as [keyof C, string][]) {
    if (change[k] !== undefined) {
      cols.push(col)
      values.push(change[k])
    }
  }
  return [cols, values]
}

export const groupSets = (c: GroupChange) => sets(GROUP_COLUMNS, c)
export const memberSets = (c: MemberChange) => sets(MEMBER_COLUMNS, c)
