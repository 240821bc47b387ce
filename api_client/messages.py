"""Human messages for every stable error code, in Chinese first and English second.

The server answers with these, and the app shows the same text for checks it runs before sending,
so a citizen sees one wording whichever side noticed the problem.
"""

from typing import Literal

Language = Literal["zh", "en"]

MESSAGES: dict[str, tuple[str, str]] = {
    "phone_invalid": ("手机号格式不正确", "The mobile number is not valid"),
    "phone_taken": ("该手机号已注册", "This mobile number is already registered"),
    "password_too_short": ("密码至少需要 8 位", "The password needs at least 8 characters"),
    "password_too_long": ("密码不能超过 128 位", "The password can have at most 128 characters"),
    "password_too_weak": ("密码需同时包含字母和数字", "The password needs both letters and digits"),
    "name_invalid": ("请填写 1 到 50 个字的姓名", "Enter a name of 1 to 50 characters"),
    "id_number_invalid": (
        "身份证号码不正确，请核对校验位和出生日期",
        "The resident ID number is not valid: check its last character and birth date",
    ),
    "email_invalid": ("邮箱格式不正确", "The email address is not valid"),
    "address_too_long": ("地址不能超过 200 个字", "The address can have at most 200 characters"),
    "field_required": ("此项为必填项", "This field is required"),
    "value_invalid": ("填写的内容格式不正确", "The value is not valid"),
    "body_invalid": ("请求内容无法解析", "The request body could not be read"),
    "text_invalid": (
        "含有无法识别的字符，请删除后重试",
        "Contains characters that are not allowed; remove them and retry",
    ),
    "headers_too_large": ("请求头过大", "The request headers are too large"),
    "credentials_invalid": ("手机号或密码不正确", "Wrong mobile number or password"),
    "login_throttled": (
        "登录失败次数过多，请稍后再试",
        "Too many failed log-in attempts; please try again later",
    ),
    "register_throttled": (
        "注册请求过于频繁，请稍后再试",
        "Too many registrations from this network; please try again later",
    ),
    "token_invalid": ("登录已失效，请重新登录", "Your session has expired; please log in again"),
    "refresh_invalid": ("登录已失效，请重新登录", "Your session has expired; please log in again"),
    "not_authenticated": ("请先登录", "Please log in first"),
    "forbidden": ("没有权限执行此操作", "You are not allowed to do this"),
    "not_found": ("内容不存在或已删除", "Not found"),
    "idempotency_key_reused": (
        "同一请求编号对应了不同的内容",
        "This Idempotency-Key was already used with a different request",
    ),
    "idempotency_in_progress": ("相同的请求正在处理中", "The same request is still being processed"),
    "payload_too_large": ("提交的内容过大", "The request is too large"),
    "method_not_allowed": ("不支持的请求方式", "Method not allowed"),
    "cursor_invalid": ("分页参数无效，请刷新后重试", "The page cursor is not valid; refresh and try again"),
    "query_empty": ("请输入要搜索的内容", "Enter something to search for"),
    "query_too_long": ("搜索内容不能超过 100 个字", "The search can have at most 100 characters"),
    "server_busy": ("服务器繁忙，请稍后再试", "The server is busy; please try again in a moment"),
    "item_unknown": ("没有这个办事事项", "There is no such service item"),
    "item_online_only": ("该事项可全程网办，无需到现场", "This item is handled fully online: no visit is needed"),
    "date_not_bookable": (
        "只能预约今后十个工作日内的时段",
        "Only slots in the next ten working days can be booked",
    ),
    "date_holiday": (
        "该日为法定节假日，政务服务中心不办公，请选择其他工作日",
        "The service centre is closed on this public holiday; please choose a working day",
    ),
    "date_rest_day": (
        "该日为休息日，政务服务中心不办公，请选择工作日",
        "The service centre is closed on this rest day; please choose a working day",
    ),
    "slot_full": ("该时段已约满，请选择其他时段", "This slot is fully booked; please choose another"),
    "appointment_exists": ("您已预约过该事项当天的时段", "You already have an appointment for this item on that day"),
    "appointment_past": ("预约当天及之后不能取消", "An appointment can no longer be cancelled on or after its day"),
    "ticket_exists": ("您今天已在该部门取号", "You already have a queue number at this department today"),
    "queue_empty": ("当前没有等待的号码", "Nobody is waiting"),
    # 网上办事: application forms, materials, attachments and the workflow
    "form_invalid": ("申请内容有误，请按提示修改", "Some answers need correcting; see the notes under each field"),
    "value_too_long": ("内容超出长度限制", "This is too long"),
    "date_invalid": ("请按 年-月-日 填写日期，如 2025-10-01", "Enter a date as YYYY-MM-DD, e.g. 2025-10-01"),
    "amount_invalid": ("请填写金额，最多两位小数", "Enter an amount with at most two decimals"),
    "integer_invalid": ("请填写整数", "Enter a whole number"),
    "value_out_of_range": ("数值超出允许范围", "The number is outside the allowed range"),
    "option_invalid": ("请从选项中选择", "Choose one of the options"),
    "field_unknown": ("申请表中没有此项", "The form has no such field"),
    "material_required": ("请上传此项材料", "Upload this document"),
    "material_unknown": ("此事项不需要这项材料", "This item does not ask for this document"),
    "material_too_many": ("此项材料最多上传 10 个文件", "At most 10 files for one document"),
    "material_format_invalid": ("文件格式不符合此项材料的要求", "This document does not accept this file format"),
    "attachment_unknown": ("附件不存在或已失效，请重新上传", "The attachment was not found; upload it again"),
    "attachment_too_large": ("文件不能超过 10 MB", "The file can be at most 10 MB"),
    "attachment_type_invalid": (
        "只能上传 PDF、JPG 或 PNG 文件",
        "Only PDF, JPEG or PNG files can be uploaded",
    ),
    "attachment_empty": ("文件内容为空", "The file is empty"),
    "anonymous_upload_throttled": (
        "上传过于频繁，请稍后再试，或登录后上传",
        "Too many uploads from this network; please try again later, or log in to upload",
    ),
    "upload_not_multipart": ("请以表单方式（multipart/form-data）上传文件", "Upload the file as multipart/form-data"),
    "application_state_conflict": (
        "办件当前状态不允许此操作，请刷新后重试",
        "The application's status does not allow this; refresh and try again",
    ),
    "step_already_decided": ("本部门已对该办件作出决定", "Your department has already decided on this application"),
    "not_implementing_department": ("只有实施部门可以受理或不予受理", "Only the implementing department can accept"),
    "already_rated": ("您已评价过此办件", "You have already rated this application"),
    "rating_not_allowed": ("办结后才能评价", "You can rate once the application is completed"),
    "lookup_throttled": ("查询过于频繁，请稍后再试", "Too many lookups; please try again later"),
    "calendar_date_outside_year": ("日期不在该年份内", "The date is not in this year"),
    "calendar_date_twice": (
        "同一天不能既是假日又是调休上班日",
        "A day cannot be both a holiday and a make-up working day",
    ),
    "concurrent_change": (
        "他人同时修改了相同内容，请刷新后重试",
        "Someone changed this at the same time; refresh and retry",
    ),
    "year_invalid": ("年份无效", "The year is not valid"),
    # 互动交流: appeals, the fast channel
    "department_unknown": (
        "没有这个部门，请重新选择或选“不确定”",
        "There is no such department; choose another or 不确定",
    ),
    "appeal_state_conflict": (
        "诉求当前状态不允许此操作，请刷新后重试",
        "The appeal's status does not allow this; refresh and try again",
    ),
    "appeal_title_length": ("标题请填写 4 到 60 个字", "The title needs 4 to 60 characters"),
    "appeal_content_length": ("内容请填写 10 到 2000 个字", "The details need 10 to 2,000 characters"),
    "appeal_credentials_invalid": ("查询账号或密码不正确", "Wrong fast-channel username or password"),
    "appeal_lookup_throttled": ("查询过于频繁，请稍后再试", "Too many lookups; please try again later"),
    "transfer_same_department": ("不能转办给本部门", "An appeal cannot be transferred to its own department"),
    "reason_too_short": ("请至少用两个字说明理由", "Give a reason of at least two characters"),
    "document_number_taken": ("该文号已被其他文件使用", "Another document already has this document number"),
    "article_not_in_force": ("该文件已不是有效状态", "This document is no longer in force"),
    "article_title_length": ("标题应为 2 到 200 个字", "A title has 2 to 200 characters"),
    "document_number_length": ("文号应为 3 到 64 个字", "A document number has 3 to 64 characters"),
    "article_topics_count": ("请选择 1 到 5 个主题", "Choose 1 to 5 topics"),
    "written_on_out_of_range": (
        "成文日期应在 1949-10-01 至今天之间",
        "The date written is between 1949-10-01 and today",
    ),
    "internal_error": ("服务器开小差了，请稍后再试", "Something went wrong on our side; please try again"),
}


def message_for(code: str, language: Language = "zh") -> str:
    """The message for `code` in `language`, or the generic one for codes this catalogue lacks."""
    zh, en = MESSAGES.get(code, MESSAGES["value_invalid"])
    return zh if language == "zh" else en
