/**
 * The wire shapes of a group's base info and of a member's info (spec part 2 §13.4), shared by the
 * group read APIs (§14): which names a filter may use, and how each field is written. Requests may
 * use the legacy `ShutUp*` names (§13.3); answers use the current `Mute*` names.
 */
import { hasUnreadCounts, parseGroupType, type GroupType } from '../../domain/groups/group-types.js'
import type { AppConfig } from '../../config/config.js'
import type { Clock } from '../../domain/clock.js'
import { TencentError } from '../../domain/codes.js'
import type { Group, MemberRole, MemberState } from '../../store/groups.js'
import { f, type Field } from '../fields.js'

/** Legacy request names (§13.3) → the current ones. */
const LEGACY: Record<string, string> = { ShutUpUntil: 'MuteUntil', ShutUpAllMember: 'MuteAllMember' }
const current = (name: string) => LEGACY[name] ?? name

type Render<T> = (x: T, now: number) => unknown

const BASE: Record<string, Render<Group>> = {
  Type: (g) => g.type,
  Name: (g) => g.name,
  Introduction: (g) => g.introduction,
  Notification: (g) => g.notification,
  FaceUrl: (g) => g.faceUrl,
  Owner_Account: (g) => g.owner ?? '',
  CreateTime: (g) => g.createdTime,
  InfoSeq: (g) => g.infoSeq,
  LastInfoTime: (g) => g.lastInfoTime,
  LastMsgTime: (g) => g.lastMsgTime,
  NextMsgSeq: (g) => g.lastSeq + 1,
  // AVChatRoom: base info only, no member count (§14.2.3).
  MemberNum: (g) => (g.type === 'AVChatRoom' ? 0 : g.memberCount),
  MaxMemberNum: (g) => g.maxMembers,
  ApplyJoinOption: (g) => g.applyJoinOption,
  MuteAllMember: (g) => (g.muteAllMember ? 'On' : 'Off'),
}

/** Types without unread counts report 0 but keep their read seq ([U] §13.5.3). */
const MEMBER = (type: Group['type']): Record<string, Render<MemberState>> => ({
  Role: (m) => m.role,
  JoinTime: (m) => m.joinTime,
  MsgSeq: (m) => m.readSeq,
  MsgFlag: (m) => m.msgFlag,
  LastSendMsgTime: (m) => m.lastSendTime,
  NameCard: (m) => m.nameCard,
  // A mute that has ended reads as 0 without a write when it ends.
  MuteUntil: (m, now) => (m.muteUntil > now ? m.muteUntil : 0),
  UnreadMsgNum: (m) => (hasUnreadCounts(type) ? m.unread : 0),
})

/** Every member field a filter-less answer has; `UnreadMsgNum` only when asked ([U] §14.3.3). */
const DEFAULT_MEMBER_FIELDS = [
  'Role',
  'JoinTime',
  'MsgSeq',
  'MsgFlag',
  'LastSendMsgTime',
  'NameCard',
  'MuteUntil',
]

/** A list of field names; unknown names are ignored, not an error ([U] §14.1.3). */
export const nameList = (): Field<string[] | undefined> => f.optional(f.strings({ missing: 10004 }))

/** How an answer is written: the time mutes are compared with, and the app's legacy-name option. */
export interface ViewOptions {
  now: number
  legacyNames: boolean
}

export const viewOptions = (app: AppConfig, clock: Clock): ViewOptions => ({
  now: clock.nowSeconds(),
  legacyNames: app.legacyMuteFieldNames === true,
})

/** With the app's option, each renamed field also under its old name (§13.3). */
function withLegacy(out: Record<string, unknown>, o: ViewOptions) {
  if (!o.legacyNames) return out
  for (const [old, now] of Object.entries(LEGACY)) if (Object.hasOwn(out, now)) out[old] = out[now]
  return out
}

export function renderBase(g: Group, filter: readonly string[] | undefined, o: ViewOptions) {
  const names = filter === undefined ? Object.keys(BASE) : filter.map(current)
  const out: Record<string, unknown> = { GroupId: g.groupId }
  for (const n of names) if (Object.hasOwn(BASE, n)) out[n] = BASE[n]!(g, o.now)
  return withLegacy(out, o)
}

/**
 * A member object: `Member_Account` (unless `withAccount` is false, as in `SelfInfo`) and the
 * fields `filter` names, or all of them when it is undefined.
 */
export function renderMember(
  type: Group['type'],
  m: MemberState,
  filter: readonly string[] | undefined,
  o: ViewOptions,
  withAccount = true,
) {
  const fields = MEMBER(type)
  const names = filter === undefined ? DEFAULT_MEMBER_FIELDS : filter.map(current)
  const out: Record<string, unknown> = withAccount ? { Member_Account: m.userId } : {}
  for (const n of names) if (Object.hasOwn(fields, n)) out[n] = fields[n]!(m, o.now)
  // Member custom data is not kept yet: in a filter-less answer it is empty.
  if (filter === undefined) out.AppMemberDefinedData = []
  return withLegacy(out, o)
}

const ROLES: readonly MemberRole[] = ['Owner', 'Admin', 'Member']

/** `MemberRoleFilter`: Owner, Admin, Member; [U] anything else is 10004. */
export const roleFilter: Field<MemberRole[] | undefined> = {
  read(body, name) {
    const v = nameList().read(body, name)
    for (const r of v ?? []) {
      if (!(ROLES as readonly string[]).includes(r))
        throw new TencentError(10004, `${name} may list only Owner, Admin and Member`)
    }
    return v as MemberRole[] | undefined
  },
}

/** A `GroupType` filter: the REST names and their SDK aliases; [U] anything else is 10004. */
export const groupTypeFilter: Field<GroupType | undefined> = {
  read(body, name) {
    const v = f.optional(f.string({ missing: 10004 })).read(body, name)
    if (v === undefined) return undefined
    const t = parseGroupType(v)
    if (t === undefined) throw new TencentError(10004, `${name} is not a group type`)
    return t
  },
}
