"""Strings of offline sync: export bundles, the centre merge, receipts, updates back."""

STRINGS = {
    # export
    "sync.title": ("数据同步", "Sync"),
    "sync.nothing_new": (
        "自第 {seq} 批导出以来没有新的或修改的记录，未生成新文件（要全部重新导出请用 --all）。",
        "Nothing new or changed since bundle {seq}; no file written (use --all to export everything again).",
    ),
    "sync.nothing_new_screen": (
        "自第 {seq} 批导出以来没有新的或修改的记录，未生成新文件（按 A 全部重新导出）。",
        "Nothing new or changed since bundle {seq}; no file written (A exports everything again).",
    ),
    "sync.exported": (
        "已导出第 {seq} 批：{records} 条记录 → {path}",
        "Exported bundle {seq}: {records} records → {path}",
    ),
    "sync.exported_full": ("（全部重新导出）", "(everything again)"),
    "sync.progress": ("正在导出… {done}/{total}", "Exporting… {done}/{total}"),
    "import.progress": ("正在导入 {name}", "Importing {name}"),
    "sync.folder_missing": (
        "导出文件夹 {folder} 不存在：U盘是否已插好？请插好后重试，或用 --to 指定文件夹。未记录任何导出。",
        "The export folder {folder} does not exist: is the USB stick plugged in? Plug it in and "
        "try again, or choose a folder with --to. Nothing was recorded.",
    ),
    "sync.folder_gone": (
        "写入 {folder} 时文件夹不见了（U盘被拔出？）。未记录任何导出，下次导出会包含同样的记录。",
        "The folder {folder} went away while writing (USB stick pulled?). Nothing was recorded; "
        "the next export will carry the same records.",
    ),
    "sync.disk_full": (
        "{folder} 空间已满，导出未完成。请清理U盘空间或换一个U盘后重试。未记录任何导出。",
        "{folder} is full; the export did not finish. Free some space or use another stick and try "
        "again. Nothing was recorded.",
    ),
    "sync.folder_readonly": (
        "无法写入 {folder}（只读或无权限）。未记录任何导出。",
        "Cannot write to {folder} (read-only or no permission). Nothing was recorded.",
    ),
    "sync.write_failed": (
        "写入 {folder} 失败：{reason}。未记录任何导出。",
        "Writing to {folder} failed: {reason}. Nothing was recorded.",
    ),
    "sync.verify_failed": (
        "导出文件 {path} 读回校验失败（{reason}），已删除。请换一个U盘重试。未记录任何导出。",
        "The bundle {path} failed its read-back check ({reason}) and was removed. Try another "
        "stick. Nothing was recorded.",
    ),
    "sync.export_raced": (
        "另一个程序同时在导出，本次导出已撤销，请重试。",
        "Another program exported at the same time; this export was undone. Try again.",
    ),
    # bundle checks (the centre and the read-back)
    "sync.bundle_missing": ("找不到文件 {path}", "No such file: {path}"),
    "sync.bundle_unreadable": ("无法读取 {path}：{reason}", "Cannot read {path}: {reason}"),
    "sync.bundle_damaged": (
        "数据包已损坏或不完整（{reason}），整包拒收。",
        "The bundle is damaged or incomplete ({reason}); rejected whole.",
    ),
    "sync.bad_manifest": (
        "数据包清单 {member} 无效：{problem}，整包拒收。",
        "The bundle's manifest {member} is invalid: {problem}; rejected whole.",
    ),
    "sync.bundle_too_new": (
        "数据包格式版本 {found} 比本程序支持的 {supported} 新：请升级 clerk-tui。",
        "Bundle format {found} is newer than this program supports ({supported}): upgrade clerk-tui.",
    ),
    "sync.bundle_unexpected_member": (
        "数据包含有不应有的文件 {member}，整包拒收。",
        "The bundle holds an unexpected file {member}; rejected whole.",
    ),
    "sync.unsafe_member": (
        "数据包中的文件名 {member} 不安全（路径穿越），整包拒收。",
        "The bundle holds an unsafe file name {member} (path traversal); rejected whole.",
    ),
    "sync.duplicate_member": (
        "数据包中文件 {member} 重复出现，整包拒收。",
        "The file {member} appears twice in the bundle; rejected whole.",
    ),
    "sync.member_too_large": (
        "数据包中 {member} 大小超出限制，整包拒收。",
        "{member} in the bundle is larger than allowed; rejected whole.",
    ),
    "sync.member_bomb": (
        "数据包中 {member} 压缩比异常（疑似压缩炸弹），整包拒收。",
        "{member} in the bundle has an absurd compression ratio (zip bomb?); rejected whole.",
    ),
    "sync.no_manifest": ("数据包缺少清单 {member}，整包拒收。", "The bundle has no manifest {member}; rejected whole."),
    "sync.member_missing": (
        "清单列出的 {member} 不在数据包中，整包拒收。",
        "{member} is listed in the manifest but missing from the bundle; rejected whole.",
    ),
    "sync.member_damaged": (
        "数据包中 {member} 已损坏（{reason}），整包拒收。",
        "{member} in the bundle is damaged ({reason}); rejected whole.",
    ),
    "sync.checksum_mismatch": (
        "数据包中 {member} 校验值不符（被改动或不完整），整包拒收。",
        "{member} in the bundle fails its checksum (altered or incomplete); rejected whole.",
    ),
    "sync.count_mismatch": (
        "数据包中 {member} 应有 {expected} 条记录，实有 {found} 条，整包拒收。",
        "{member} in the bundle should hold {expected} records but holds {found}; rejected whole.",
    ),
    "sync.bad_record": (
        "数据包中 {member} 第 {line} 行不是有效记录，整包拒收。",
        "Line {line} of {member} in the bundle is not a valid record; rejected whole.",
    ),
    "sync.bad_value": (
        "数据包中 {member} 的记录 {id} 的 {column} 应为 {expected}，实为 {value}，整包拒收。",
        "In {member} of the bundle, record {id} has {value} in {column}, where {expected} belongs; rejected whole.",
    ),
    "sync.duplicate_record": (
        "数据包中 {member} 有重复的记录编号，整包拒收。",
        "{member} in the bundle repeats a record id; rejected whole.",
    ),
    "sync.unknown_columns": (
        "数据包中 {member} 含本数据库没有的字段（{columns}）：请先升级 clerk-tui。整包拒收。",
        "{member} in the bundle has fields this database lacks ({columns}): upgrade clerk-tui first. Rejected whole.",
    ),
    "sync.record_rejected": (
        "数据包中 {member} 的记录无法写入（{reason}），整包拒收，未写入任何内容。",
        "A record of {member} in the bundle cannot be stored ({reason}); rejected whole, nothing written.",
    ),
    "sync.station_reused": (
        "站点编号 {station} 在中心已属于另一个站点「{known_name}」，而此数据包来自另一台电脑上的"
        "「{name}」：两个站点不能共用编号，整包拒收，未写入任何内容。请给其中一个站点换用自己的编号。",
        'Station id {station} already belongs to another station at the centre ("{known_name}"); '
        'this bundle comes from a different installation ("{name}"). Two stations cannot share '
        "an id: rejected whole, nothing written. One of them needs its own id.",
    ),
    "sync.ticket_number_taken": (
        "票号 {number}（{day}）在中心已是站点 {station} 的另一张票：多半是两个站点共用了编号 "
        "{station}。整包拒收，未写入任何内容。请给其中一个站点换用自己的编号。",
        "Ticket {number} of {day} is already another ticket of station {station} at the "
        "centre: two stations probably share the id {station}. Rejected whole, nothing "
        "written. One of them needs its own id.",
    ),
    "sync.record_clash": (
        "数据包中 {member} 的记录 {id} 与中心已有的另一条记录重复（{columns}），整包拒收，未写入任何内容。",
        "Record {id} of {member} in the bundle collides with another record at the centre "
        "({columns}); rejected whole, nothing written.",
    ),
    "sync.exported_station": ("站点：{station} {name}", "Station: {station} {name}"),
    # merge report
    "merge.bundle": (
        "{file}：站点 {station} 第 {seq} 批，{records} 条记录",
        "{file}: station {station} bundle {seq}, {records} records",
    ),
    "merge.already": ("  此数据包已于 {at} 合并过，本次未作任何更改。", "  Already merged on {at}; nothing changed."),
    "merge.seq_reused": (
        "  注意：站点曾以同一批次号提交过内容不同的数据包（站点数据库是否从备份恢复过？）。",
        "  Note: the station sent a different bundle under this number before (was its database "
        "restored from a backup?).",
    ),
    "merge.rejected": ("{file}：拒收。{message}", "{file}: rejected. {message}"),
    "merge.col_table": ("数据表", "Table"),
    "merge.col_new": ("新增", "New"),
    "merge.col_updated": ("更新", "Updated"),
    "merge.col_skipped": ("相同跳过", "Skipped"),
    "merge.col_stale": ("旧版跳过", "Stale"),
    "merge.col_conflicts": ("冲突", "Conflicts"),
    "merge.conflict": (
        "  冲突：{table} {id} 第 {version} 版内容不同，未覆盖（见中心库 sync_conflict 表）。",
        "  Conflict: {table} {id} version {version} differs; not overwritten (see the centre's sync_conflict table).",
    ),
    "merge.more_conflicts": ("  ……另有 {n} 条冲突", "  … and {n} more conflicts"),
    "merge.missing": (
        "站点 {station} 缺少第 {seqs} 批数据包：请让站点补交（或用 clerk export --all 重新导出）。",
        "Station {station} is missing bundle(s) {seqs}: ask the station for them (or for clerk export --all).",
    ),
    "merge.dangling": (
        "{count} 条记录引用了中心尚未收到的记录（{refs}），缺少的数据包到达后即可补齐。",
        "{count} record(s) refer to records the centre has not received yet ({refs}); they resolve "
        "when the missing bundles arrive.",
    ),
    "merge.receipt": (
        "回执已写入 {path}（请带回站点：clerk import receipt 文件）",
        "Receipt written to {path} (take it back to the station: clerk import receipt FILE)",
    ),
    "merge.no_bundles": ("没有可合并的数据包", "No bundle could be merged"),
    # receipts
    "receipt.invalid": ("回执 {path} 无效：{problem}", "The receipt {path} is invalid: {problem}"),
    "receipt.damaged": (
        "回执 {path} 校验失败（被改动或不完整），未导入。",
        "The receipt {path} fails its checksum (altered or incomplete); not imported.",
    ),
    "receipt.other_station": (
        "这是站点 {found} 的回执，本站是 {expected}，未导入。",
        "This receipt is for station {found}; this station is {expected}. Not imported.",
    ),
    "receipt.write_failed": ("无法写入回执 {path}：{reason}", "Cannot write the receipt {path}: {reason}"),
    "receipt.imported": ("中心已确认第 {seqs} 批数据包。", "The centre confirmed bundle(s) {seqs}."),
    "receipt.already": (
        "第 {seqs} 批此前已确认，未作更改。",
        "Bundle(s) {seqs} were confirmed before; nothing changed.",
    ),
    "receipt.unknown": (
        "本站没有第 {seqs} 批的导出记录，已忽略。",
        "This station has no record of bundle(s) {seqs}; ignored.",
    ),
    "receipt.mismatched": (
        "第 {seqs} 批与本站导出的文件不一致，未确认：请用 clerk export --all 重新导出。",
        "Bundle(s) {seqs} differ from what this station exported; not confirmed. Run clerk export --all.",
    ),
    "receipt.not_applied": (
        "中心有 {n} 条记录因冲突未接收，仍计为未确认。",
        "{n} record(s) were not taken by the centre (conflicts) and stay unconfirmed.",
    ),
    "receipt.missing": ("中心提示缺少第 {seqs} 批数据包。", "The centre reports bundle(s) {seqs} missing."),
    "receipt.pending": ("中心尚未确认的记录：{n} 条", "Records the centre has not confirmed yet: {n}"),
    # the Sync screen
    "sync.key_export": ("导出", "Export"),
    "sync.key_export_all": ("全部重新导出", "Export all"),
    "sync.key_refresh": ("刷新", "Refresh"),
    "sync.no_file": ("找不到文件 {path}", "No such file: {path}"),
    "sync.folder": ("导出到：", "Export to:"),
    "sync.line": ("{label}：{value}", "{label}: {value}"),
    "sync.last_export": ("上次导出", "Last export"),
    "sync.last_export_value": ("第 {seq} 批 · {at} · {records} 条", "Bundle {seq} · {at} · {records} records"),
    "sync.last_receipt": ("上次回执", "Last receipt"),
    "sync.last_receipt_value": ("{at} · 已确认 {acked}/{exports} 批", "{at} · {acked}/{exports} bundles confirmed"),
    "sync.never": ("从未", "Never"),
    "sync.col_table": ("数据", "Records"),
    "sync.col_not_exported": ("未导出", "Not exported"),
    "sync.col_unacknowledged": ("中心未确认", "Not at centre"),
    "sync.total": ("合计", "Total"),
    "sync.busy": ("正在导出，请勿拔出U盘…", "Exporting: do not pull the stick…"),
    "sync.hint": ("中心发来的文件：选中后按 Enter 导入", "Files from the centre: Enter imports the highlighted one"),
    # the Sync screen: the stick and the centre's files on it
    "usb.key_pick": ("选U盘", "USB"),
    "usb.key_import": ("导入", "Import"),
    "usb.drives": ("U盘：{drives}（u 选择）", "USB drives: {drives} (u chooses)"),
    "usb.no_drives": ("未发现U盘（u 选择文件夹）", "No USB drive found (u chooses a folder)"),
    "usb.absent": (
        "U盘不在：找不到 {folder}（插好后按 r，或按 u 另选）",
        "No stick at {folder}: plug it in and press r, or u for another",
    ),
    "usb.files_title": ("U盘上的中心文件", "Files from the centre"),
    "usb.no_files": (
        "此文件夹中没有回执、目录、日历、预约或评价文件",
        "No receipt, catalog, calendar, appointments or ratings file here",
    ),
    "usb.kind.receipt": ("回执", "Receipt"),
    "usb.kind.catalog": ("目录", "Catalog"),
    "usb.kind.calendar": ("日历", "Calendar"),
    "usb.kind.appointments": ("预约", "Appts"),
    "usb.kind.ratings": ("评价", "Ratings"),
    "usb.file_info": ("{name}\n修改于 {at}", "{name}\nmodified {at}"),
    "usb.importing": ("正在导入 {name}…", "Importing {name}…"),
    "usb.imported_file": ("已导入", "Imported"),
    "usb.pick_title": ("选择同步文件夹", "Choose the sync folder"),
    "usb.pick_hint": (
        "↑↓ 选择，Enter 确定，t 输入其他文件夹，Esc 返回",
        "↑↓ move, Enter chooses, t types another folder, Esc goes back",
    ),
    "usb.key_type": ("输入文件夹", "Type a folder"),
    "usb.type_label": ("文件夹（完整路径）", "Folder (full path)"),
    "usb.place.config": ("配置的文件夹 {path}", "Configured folder {path}"),
    "usb.place.current": ("当前文件夹 {path}", "Current folder {path}"),
    "usb.place.drive": ("U盘 {label}（{path}）", "USB drive {label} ({path})"),
    "usb.place.absent": ("（不在）", " (absent)"),
    "usb.import_title": ("导入文件", "Import a file"),
    "usb.import_label": (
        "回执、目录、日历、预约或评价文件（.json）",
        "Receipt, catalog, calendar, appointments or ratings file (.json)",
    ),
    "usb.unknown_file": (
        "{path} 不是回执、目录、日历、预约或评价文件，未导入。",
        "{path} is not a receipt, catalog, calendar, appointments or ratings file; not imported.",
    ),
    "sync.table.ticket": ("取号", "Tickets"),
    "sync.table.ticket_event": ("叫号记录", "Ticket events"),
    "sync.table.window_event": ("窗口暂停", "Window events"),
    "sync.table.document_check": ("材料核验", "Document checks"),
    "sync.table.check_item": ("核验材料项", "Checked materials"),
    "sync.table.notice": ("告知书", "Notices"),
    "sync.table.service_case": ("办件", "Cases"),
    "sync.table.rating": ("好差评", "Ratings"),
    "sync.table.follow_up": ("回访", "Follow-ups"),
    "sync.table.audit_entry": ("操作留痕", "Audit entries"),
    # updates back to the station
    "import.catalog_done": ("事项目录已导入", "Catalog imported"),
    "import.calendar_recomputed": (
        "暂定期限已按新日历重算：{count} 项",
        "Provisional dates recomputed on the new calendar: {count}",
    ),
    "import.calendar_recomputed_line": (
        "  {case_no} {what}：{old}（暂定） → {new}",
        "  {case_no} {what}: {old} (provisional) -> {new}",
    ),
    "import.calendar_done": (
        "工作日历已导入：{years} 年，节假日 {holidays} 天，调休上班 {workdays} 天",
        "Calendar imported: {years}; {holidays} holidays, {workdays} make-up working days",
    ),
    "appointments.invalid": (
        "预约文件 {path} 有 {count} 处问题，未导入任何预约：",
        "The appointments file {path} has {count} problem(s); nothing was imported:",
    ),
    "appointments.problem": ("{where}：{problem}", "{where}: {problem}"),
    "appointments.not_appointments": (
        "不是预约文件（format 应为 {expected}）",
        "not an appointments file (format must be {expected})",
    ),
    "appointments.bad_version": ("格式版本 {found} 不支持", "format version {found} is not supported"),
    "appointments.unreadable": ("无法读取：{reason}", "cannot be read: {reason}"),
    "appointments.too_many": (
        "文件有 {count} 条预约，超过每个文件 {limit} 条的上限，拒绝导入",
        "the file holds {count} appointments, more than the {limit} a file may hold; refused",
    ),
    "appointments.value_too_large": (
        "此处的值超过 {limit} 个字符，拒绝读取",
        "the value here is longer than {limit} characters; refused",
    ),
    "appointments.changed": (
        "文件在导入过程中被改动，未导入任何预约，请重新导入",
        "the file changed while it was being imported; nothing was imported, import it again",
    ),
    "appointments.other_station": (
        "文件是给站点 {found} 的，本站是 {expected}",
        "the file is for station {found}; this station is {expected}",
    ),
    "appointments.missing_field": ("缺少 {field}", "{field} is missing"),
    "appointments.bad_field": ("{field} 的值 {value} 无效", "{field} has an invalid value {value}"),
    "appointments.duplicate": ("预约编号 {value} 重复", "appointment id {value} appears twice"),
    "appointments.unknown_queue": ("本站没有队列 {value}", "this station has no queue {value}"),
    "appointments.done": (
        "预约已导入：新增 {new}，更新 {updated}，未变 {unchanged}，取消 {cancelled}；今日出号 {issued}，"
        "已过时段 {expired}",
        "Appointments imported: {new} new, {updated} updated, {unchanged} unchanged, {cancelled} "
        "cancelled; {issued} tickets issued for today, {expired} slots already past",
    ),
}
