/**
 * Every message the API speaks, zh-CN first (the ThinkSNS+ strings clients already know), English for
 * `Accept-Language: en`. Placeholders are `{name}`.
 */
export const MESSAGES = {
  unauthenticated: { zh: 'Unauthenticated.', en: 'Unauthenticated.' },
  forbidden: { zh: '没有权限执行该操作', en: 'You are not allowed to do this.' },
  not_found: { zh: '内容不存在', en: 'Not found.' },
  malformed_json: { zh: '请求数据格式错误', en: 'The request body is malformed.' },
  payload_too_large: { zh: '请求数据过大', en: 'The request body is too large.' },
  uri_too_long: { zh: '请求地址过长', en: 'The request URI is too long.' },
  request_headers_too_large: { zh: '请求头过大', en: 'The request headers are too large.' },
  request_timeout: { zh: '请求超时', en: 'The request timed out.' },
  unsupported_media_type: { zh: '不支持的请求数据类型', en: 'Unsupported content type.' },
  method_not_allowed: { zh: '不支持的请求方法', en: 'Method not allowed.' },
  too_many_requests: { zh: '请求过于频繁，请稍后再试', en: 'Too many requests, please try again later.' },
  server_error: { zh: '服务器内部错误', en: 'Internal server error.' },
  service_unavailable: { zh: '服务暂时不可用，请稍后再试', en: 'The service is temporarily unavailable, please try again later.' },
  illegal_operation: { zh: '非法操作', en: 'Illegal operation.' },

  code_sent: { zh: '获取成功', en: 'Code sent.' },
  code_phone_taken: { zh: '手机号码已经被使用，不能发送验证码', en: 'This phone number is already in use, no code was sent.' },
  code_email_taken: { zh: '邮箱地址已经被使用，不能发送验证码', en: 'This e-mail address is already in use, no code was sent.' },
  code_resend_wait: { zh: '还需要{seconds}秒后才能获取', en: 'Please wait {seconds} seconds before requesting another code.' },
  code_daily_limit: { zh: '今日获取验证码次数已达上限，请明天再试', en: 'Too many codes requested for this account today, please try tomorrow.' },
  code_ip_limit: { zh: '获取验证码过于频繁，请稍后再试', en: 'Too many codes requested from this address, please try later.' },
  code_send_failed: { zh: '验证码发送失败', en: 'The code could not be sent.' },
  code_invalid: { zh: '验证码错误或者已失效', en: 'The code is wrong or has expired.' },
  code_text: {
    zh: '您的验证码是{code}，{minutes}分钟内有效。如非本人操作，请忽略。',
    en: 'Your verification code is {code}, valid for {minutes} minutes. Ignore this message if you did not ask for it.',
  },
  code_subject: { zh: '验证码', en: 'Verification code' },

  bad_credentials: { zh: '账号或密码不正确', en: 'The account or password is incorrect.' },
  account_disabled: { zh: '账号已被禁用，请联系管理员', en: 'This account is disabled, please contact an administrator.' },
  logout_ok: { zh: '退出成功', en: 'Logged out.' },
  reserved_name: { zh: '系统保留昵称，禁止使用', en: 'This name is reserved by the system.' },
  name_taken: { zh: '用户名已被使用', en: 'This name is already taken.' },
  phone_taken: { zh: '手机号码已经被使用', en: 'This phone number is already in use.' },
  email_taken: { zh: '邮箱已经被使用', en: 'This e-mail address is already in use.' },
  invite_code_unknown: { zh: '邀请码不存在', en: 'The invite code does not exist.' },
  one_account_per_code: { zh: '一个验证码只能验证一个手机号码或邮箱', en: 'One code verifies one phone number or e-mail address, not both.' },
  old_password_wrong: { zh: '账户密码错误', en: 'The current password is wrong.' },
  password_unchanged: { zh: '新密码和旧密码相同', en: 'The new password is the same as the old one.' },
  password_confirmation_mismatch: { zh: '确认输入的新密码不一致', en: 'The password confirmation does not match.' },
  password_wrong: { zh: '密码错误', en: 'The password is wrong.' },
  contact_taken: { zh: '已经被使用', en: 'It is already in use.' },
  last_login_method: { zh: '这是账号唯一的登录方式，不能解除绑定', en: 'This is the only way left to log in to the account; it cannot be removed.' },
  cancel_ok: { zh: '操作成功,再见', en: 'Done, goodbye.' },
  cannot_follow_self: { zh: '不可对自己进行操作', en: 'You cannot do this to yourself.' },
  verification_exists: { zh: '已提交过认证', en: 'A verification was already submitted.' },
  verification_approved: { zh: '已审核通过，无法修改', en: 'The verification is approved and cannot be changed.' },
  verification_pending: { zh: '正在审核中，无法修改', en: 'The verification is under review and cannot be changed.' },
  certification_submitted: { zh: '提交成功，等待审核', en: 'Submitted; waiting for review.' },
  certification_files_required: { zh: '证件照片未提供', en: 'Send the ID card or licence photos.' },
  certification_type_fixed: { zh: '认证类型不能修改', en: 'The verification type cannot be changed.' },
  verification_not_pending: { zh: '该认证不在待审核状态', en: 'The verification is not waiting for review.' },
  target_out_of_reach: { zh: '没有权限操作该用户', en: 'You may not act on this user.' },
  address_limit: { zh: '收货地址最多20个', en: 'At most 20 addresses.' },
  reward_ok: { zh: '打赏成功', en: 'Reward sent.' },
  reward_self: { zh: '用户不能打赏自己', en: 'You cannot reward yourself.' },
  balance_insufficient: { zh: '余额不足', en: 'Insufficient balance.' },
  pay_password_wrong: { zh: '密码验证错误', en: 'Password verification failed.' },
  transfer_ok: { zh: '转账成功', en: 'Transfer done.' },
  transfer_self: { zh: '不能给自己转账', en: 'You cannot transfer to yourself.' },
  transfer_exceeds_balance: { zh: '转账金额超出账户余额', en: 'The amount exceeds the balance.' },
  target_user_unknown: { zh: '用户不存在', en: 'The user does not exist.' },
  operation_ok: { zh: '操作成功', en: 'Done.' },
  register_method_closed: { zh: '当前不支持该方式注册', en: 'Registration with this kind of account is closed.' },
  cash_submitted: { zh: '积分提取申请已提交，请等待审核', en: 'Your withdrawal request was submitted and awaits review.' },
  wallet_cash_submitted: { zh: '提交申请成功', en: 'Your withdrawal request was submitted.' },
  cash_min: { zh: '最低提现金额为：“{min}”', en: 'The smallest withdrawal is {min}.' },
  cash_exceeds: { zh: '账户积分余额不足或超出最大提现限制', en: 'Not enough points, or above the largest withdrawal.' },
  wallet_cash_min: { zh: '输入的提现金额不足最低提现金额要求', en: 'The amount is below the smallest withdrawal.' },
  wallet_cash_exceeds: { zh: '提现金额超出账户余额', en: 'The amount exceeds the balance or the largest withdrawal.' },
  wallet_cash_type: { zh: '你选择的提现方式不支持', en: 'This payout method is not supported.' },
  cash_closed: { zh: '提现功能已关闭', en: 'Withdrawals are closed.' },
  withdrawal_reviewed: { zh: '该提现申请已处理', en: 'This withdrawal request was already reviewed.' },
  recharge_type_invalid: { zh: '选择的充值方式错误', en: 'This recharge method is not available.' },
  checked_in: { zh: '已签到，请勿重复签到', en: 'You have already checked in today.' },
  checkin_closed: { zh: '签到已关闭', en: 'Check-in is closed.' },
  idempotency_key_reused: { zh: '该 Idempotency-Key 已用于另一个请求', en: 'This Idempotency-Key was used for a different request.' },
  idempotency_key_invalid: { zh: 'Idempotency-Key 格式错误', en: 'The Idempotency-Key header is invalid.' },
  operator_invalid: { zh: '请求参数错误：{detail}', en: 'Invalid request: {detail}' },
  field_name_invalid: {
    zh: '字段名只能包含字母、数字和下划线，以字母开头，最多64个字符',
    en: 'A field name is a letter followed by up to 63 letters, digits or underscores.',
  },
  field_name_builtin: { zh: '不能使用内置字段名', en: 'This name belongs to a built-in field.' },
  field_exists: { zh: '字段已存在', en: 'The field already exists.' },
  rank_not_standing: {
    zh: '该排行榜数据量过大，无法即时计算。预先计算的排行榜：{standing}',
    en: 'This ranking is too large to compute on request. Precomputed rankings: {standing}.',
  },
  cannot_disable_self: { zh: '不能禁用自己', en: 'You cannot disable yourself.' },

  file_not_image: { zh: '文件必须是 jpeg、png、gif 或 webp 图片', en: 'The file must be a jpeg, png, gif or webp image.' },
  file_missing: { zh: '请上传文件', en: 'No file was uploaded.' },
  image_too_large: { zh: '图片像素不能超过{max}百万', en: 'The image may have at most {max} megapixels.' },
  tag_already_held: { zh: '你已拥有「{tag}」标签，请勿重复添加', en: 'You already have the tag "{tag}".' },
  tag_not_held: { zh: '你没有「{tag}」标签', en: 'You do not have the tag "{tag}".' },
  tags_full: { zh: '标签最多可选{max}个', en: 'You may have at most {max} tags.' },
  tag_in_use: { zh: '有资源使用该标签，不能删除，请先清理使用该标签的资源', en: 'The tag is in use and cannot be deleted.' },
  tag_exists: { zh: '标签已经存在', en: 'A tag with this name already exists.' },
  tag_category_exists: { zh: '分类已经存在', en: 'A category with this name already exists.' },
  tag_category_not_empty: { zh: '该分类下还有标签存在，请先删除标签再删除分类', en: 'The category still has tags.' },
  tag_category_unknown: { zh: '标签分类不存在', en: 'The category does not exist.' },
  phones_required: { zh: '请传递手机号码', en: 'Send the phone numbers to match.' },
  file_not_usable: { zh: '文件不存在或不属于当前用户', en: 'The file does not exist or was not uploaded by you.' },
  upload_link_invalid: { zh: '上传地址无效或已过期', en: 'The upload URL is invalid or has expired.' },
  upload_task_used: { zh: '该上传任务已完成', en: 'This upload task has already been used.' },
  upload_hash_mismatch: { zh: 'Hash 校验失败', en: 'The file does not match the announced md5 hash.' },
  upload_size_mismatch: { zh: '文件大小与上传任务不符', en: 'The file size does not match the upload task.' },
  upload_channel_invalid: { zh: '不支持的储存频道', en: 'Unsupported storage channel.' },
  image_busy: { zh: '图片处理繁忙，请稍后再试', en: 'Image processing is busy, please try again later.' },
  location_keyword_required: { zh: '必须输入搜索关键词', en: 'A search keyword is required.' },
  position_latitude_required: { zh: '请传递GPS纬度坐标', en: 'The GPS latitude is required.' },
  position_longitude_required: { zh: '请传递GPS经度坐标', en: 'The GPS longitude is required.' },
  'v.required': { zh: '{field}不能为空', en: 'The {field} field is required.' },
  'v.string': { zh: '{field}必须是字符串', en: 'The {field} must be a string.' },
  'v.integer': { zh: '{field}必须是整数', en: 'The {field} must be an integer.' },
  'v.boolean': { zh: '{field}必须是布尔值', en: 'The {field} must be true or false.' },
  'v.object': { zh: '{field}格式错误', en: 'The {field} must be an object.' },
  'v.in': { zh: '{field}的值无效', en: 'The selected {field} is invalid.' },
  'v.min': { zh: '{field}不能小于{min}', en: 'The {field} must be at least {min}.' },
  'v.max': { zh: '{field}不能大于{max}', en: 'The {field} may not be greater than {max}.' },
  'v.max_length': { zh: '{field}不能超过{max}个字符', en: 'The {field} may not be longer than {max} characters.' },
  'v.cn_phone': { zh: '请输入正确的中国大陆手机号码', en: 'The {field} must be a valid mainland China mobile number.' },
  'v.email': { zh: '请输入正确的邮箱地址', en: 'The {field} must be a valid e-mail address.' },
  'v.username': {
    zh: '用户名只能包含字母、数字、下划线和中文，且不能以数字开头',
    en: 'The {field} may contain letters, digits, underscores and non-ASCII characters, and may not start with a digit.',
  },
  'v.display_length': {
    zh: '{field}长度必须在{min}到{max}个字之间（字母和数字算半个字）',
    en: 'The {field} must be {min} to {max} characters long (ASCII letters and digits count half).',
  },
  'v.password': { zh: '密码长度必须为6到64个字符（最多72字节）', en: 'The password must be 6 to 64 characters long (at most 72 bytes).' },
  'v.resident_id': { zh: '身份证号码格式错误', en: 'The {field} must be a valid resident ID number.' },
  'v.gb18030_length': { zh: '{field}不能超过{max}个字节（中文算2个字节）', en: 'The {field} may not be longer than {max} bytes (GB18030).' },
  'v.postcode': { zh: '邮政编码必须是6位数字', en: 'The {field} must be 6 digits.' },
  'v.array_max_size': { zh: '{field}最多{max}项', en: 'The {field} may have at most {max} items.' },
  'v.invalid': { zh: '{field}格式错误', en: 'The {field} is invalid.' },
} as const;

export type MessageKey = keyof typeof MESSAGES;
export type Lang = 'zh' | 'en';
export type MessageParams = Record<string, string | number>;

/** Chinese names of request fields, used in zh validation messages. */
const FIELD_NAMES_ZH: Record<string, string> = {
  name: '用户名',
  phone: '手机号码',
  email: '邮箱',
  password: '密码',
  login: '账号',
  verifiable_code: '验证码',
  verifiable_type: '验证方式',
  invite_code: '邀请码',
  old_password: '旧密码',
  password_confirmation: '确认密码',
  bio: '简介',
  sex: '性别',
  location: '地区',
  avatar: '头像',
  bg: '背景图',
};

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(MESSAGES, key);
}

export function fieldName(field: string, lang: Lang): string {
  if (lang === 'zh') return FIELD_NAMES_ZH[field] ?? field;
  return field.replace(/_/g, ' ');
}

export function translate(key: MessageKey, lang: Lang, params: MessageParams = {}): string {
  const template: string = MESSAGES[key][lang];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (name === 'field' && typeof params.field === 'string') return fieldName(params.field, lang);
    return name in params ? String(params[name]) : whole;
  });
}

/** `Accept-Language: en…` (or an `en` preferred over `zh`) gives English; everything else gets zh-CN. */
export function languageOf(acceptLanguage: string | string[] | undefined): Lang {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage[0] : acceptLanguage;
  if (!header) return 'zh';
  const first = header.split(',')[0].trim().toLowerCase();
  return first.startsWith('en') ? 'en' : 'zh';
}
