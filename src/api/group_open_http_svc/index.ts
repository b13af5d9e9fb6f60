/** The commands of `v4/group_open_http_svc` (spec §6). */
import { add_group_member } from './add_group_member.js'
import { change_group_owner } from './change_group_owner.js'
import { create_group } from './create_group.js'
import { delete_group_member } from './delete_group_member.js'
import { delete_group_msg_by_sender } from './delete_group_msg_by_sender.js'
import { destroy_group } from './destroy_group.js'
import { get_appid_group_list } from './get_appid_group_list.js'
import { get_group_info } from './get_group_info.js'
import { get_group_member_info } from './get_group_member_info.js'
import { get_group_msg_receipt } from './get_group_msg_receipt.js'
import { get_group_msg_receipt_detail } from './get_group_msg_receipt_detail.js'
import { get_joined_group_list } from './get_joined_group_list.js'
import { get_role_in_group } from './get_role_in_group.js'
import { get_specified_group_member_info } from './get_specified_group_member_info.js'
import { group_msg_get_simple } from './group_msg_get_simple.js'
import { import_group } from './import_group.js'
import { import_group_member } from './import_group_member.js'
import { import_group_msg } from './import_group_msg.js'
import { modify_group_base_info } from './modify_group_base_info.js'
import { modify_group_member_info } from './modify_group_member_info.js'
import { group_msg_receipt } from './group_msg_receipt.js'
import { group_msg_recall } from './group_msg_recall.js'
import { send_group_msg } from './send_group_msg.js'
import { send_group_system_notification } from './send_group_system_notification.js'
import { set_unread_msg_num } from './set_unread_msg_num.js'

export const groupCommands = [
  create_group,
  add_group_member,
  delete_group_member,
  destroy_group,
  send_group_msg,
  group_msg_get_simple,
  group_msg_recall,
  set_unread_msg_num,
  group_msg_receipt,
  get_group_msg_receipt,
  get_group_msg_receipt_detail,
  get_joined_group_list,
  get_group_info,
  get_group_member_info,
  get_specified_group_member_info,
  get_role_in_group,
  get_appid_group_list,
  import_group,
  import_group_msg,
  import_group_member,
  modify_group_base_info,
  modify_group_member_info,
  change_group_owner,
  send_group_system_notification,
  delete_group_msg_by_sender,
]
