/**
 * Tencent's v4 commands receiptd does not implement (design.md decision 17). A call to one answers
 * 60009 saying so, instead of the plain 60009 of a misspelt path, and is logged as a warning once
 * per command. The list follows the Chat server API reference (the RESTful API list and the
 * sections of spec/tencent-chat-api-part2.md §13.1). A branch that implements a command removes it
 * here; a test checks that this list and the command table never share a key.
 */
export const notImplemented: ReadonlySet<string> = new Set([
  // All-member push
  'all_member_push/im_push',
  'all_member_push/im_set_attr_name',
  'all_member_push/im_get_attr_name',
  'all_member_push/im_get_attr',
  'all_member_push/im_set_attr',
  'all_member_push/im_remove_attr',
  'all_member_push/im_get_tag',
  'all_member_push/im_add_tag',
  'all_member_push/im_remove_tag',
  'all_member_push/im_remove_all_tags',
  // Relationship chain
  'sns/friend_add',
  'sns/friend_import',
  'sns/friend_update',
  'sns/friend_delete',
  'sns/friend_delete_all',
  'sns/friend_check',
  'sns/friend_get',
  'sns/friend_get_list',
  'sns/black_list_add',
  'sns/black_list_delete',
  'sns/black_list_get',
  'sns/black_list_check',
  'sns/group_add',
  'sns/group_delete',
  'sns/group_get',
  // Recent contacts (spec part 2 §17)
  'recentcontact/create_contact_group',
  'recentcontact/del_contact_group',
  'recentcontact/update_contact_group',
  'recentcontact/search_contact_group',
  'recentcontact/mark_contact',
  'recentcontact/get_contact_group',
  // Groups (spec part 2 §14–16)
  'group_open_http_svc/forbid_send_msg',
  'group_open_http_svc/get_group_shutted_uin',
  'group_open_http_svc/get_online_member_num',
  'group_open_http_svc/send_broadcast_msg',
  // Group attributes and topics
  'group_open_attr_http_svc/get_group_attr',
  'group_open_attr_http_svc/modify_group_attr',
  'group_open_attr_http_svc/clear_group_attr',
  'group_open_attr_http_svc/set_group_attr',
  'group_open_attr_http_svc/delete_group_attr',
  'million_group_open_http_svc/create_topic',
  'million_group_open_http_svc/destroy_topic',
  'million_group_open_http_svc/get_topic',
  'million_group_open_http_svc/modify_topic',
  // Global mute and operations
  'openconfigsvr/setnospeaking',
  'openconfigsvr/getnospeaking',
  'openconfigsvr/getappinfo',
  'open_msg_svc/get_history',
  'ConfigSvc/GetIPList',
])
