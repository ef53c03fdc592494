"""Strings of faults: storage and files that fail (a read-only database, a full or failing
disk), what `clerk check` finds, and numbers out of range in imported files."""

STRINGS = {
    # storage failures, one line each (db.errors.clerk_error_of)
    "storage.failed": (
        "数据库 {path} 出错：{reason}。这一步未写入任何内容。",
        "The database {path} failed: {reason}. Nothing of this step was written.",
    ),
    "storage.read_only": (
        "数据库 {path} 只能读取、不能写入：这一步未写入任何内容。请检查该文件及所在文件夹的权限，或磁盘是否只读。",
        "The database {path} can be read but not written: nothing of this step was written. "
        "Check the permissions of the file and its folder, or whether the disk is read-only.",
    ),
    "storage.disk_full": (
        "磁盘已满（{path}）：这一步未写入任何内容。请腾出磁盘空间后重试。",
        "The disk is full ({path}): nothing of this step was written. Free some space and try again.",
    ),
    "storage.disk_failed": (
        "磁盘读写出错（{path}）：这一步未写入任何内容。请检查磁盘或U盘后重试，并运行 clerk check。",
        "The disk failed to read or write ({path}): nothing of this step was written. "
        "Check the disk or USB stick, try again, and run clerk check.",
    ),
    "storage.damaged": (
        "数据库 {path} 已损坏（{reason}）：请运行 clerk check，并从最近的备份恢复（clerk restore 备份文件）。",
        "The database {path} is damaged ({reason}): run clerk check and restore the latest backup "
        "(clerk restore FILE).",
    ),
    "storage.not_a_database": (
        "{path} 不是数据库文件（{reason}）：请检查 --db 或配置中的数据库路径。",
        "{path} is not a database file ({reason}): check the database path given with --db or in the config.",
    ),
    "server.unreachable": (
        "无法连接数据库服务器 {path}：{reason}。请检查网络和服务器地址；本次操作未保存。",
        "Cannot reach the database server {path}: {reason}. Check the network and the address; nothing was saved.",
    ),
    "server.auth_failed": (
        "数据库服务器 {path} 拒绝了用户名或密码：请检查 pgpass 文件或服务配置。",
        "The database server {path} refused the user name or password: check the pgpass file or service file.",
    ),
    "server.too_old": (
        "数据库服务器 {path} 的版本（{reason}）过旧：需要 PostgreSQL 14 或更新版本。",
        "The database server {path} runs {reason}, too old: PostgreSQL 14 or newer is needed.",
    ),
    "server.connection_lost": (
        "与数据库服务器的连接中断：本次操作未保存，已填写的内容仍在。请稍后再试。",
        "The connection to the database server was lost: this was not saved; what you typed is kept. Try again.",
    ),
    "server.bad_url": (
        "数据库地址 {path} 写法不对（{reason}）：应为 postgresql://用户@服务器/数据库名，未连接、未创建任何内容。",
        "The database address {path} is not valid ({reason}): write it as postgresql://user@server/dbname. "
        "Nothing was connected to or created.",
    ),
    "server.no_pg_tool": (
        "找不到 PostgreSQL 的 {path} 程序：服务器数据库的备份和恢复要用它。请安装 PostgreSQL 客户端"
        "（与服务器同版本或更新），或把它的 bin 文件夹加入 PATH。数据库未受影响。",
        "PostgreSQL's {path} was not found: backups and restores of a server database need it. Install the "
        "PostgreSQL client (the server's version or newer) or put its bin folder on the PATH. "
        "The database is unaffected.",
    ),
    "storage.cannot_open": ("无法打开数据库 {path}：{reason}", "Cannot open the database {path}: {reason}"),
    "storage.file_failed": ("无法读写文件 {path}：{reason}", "Cannot read or write {path}: {reason}"),
    "storage.file_read_only_disk": (
        "{path} 所在的磁盘是只读的，无法写入",
        "{path} is on a read-only disk and cannot be written",
    ),
    "db.is_directory": (
        "{path} 是一个文件夹，不是数据库文件：--db 应指向数据库文件本身（例如 clerk.db）",
        "{path} is a folder, not a database file: --db must name the database file itself (e.g. clerk.db)",
    ),
    # clerk check: each condition in its own words
    "db.unreadable": (
        "没有权限读取数据库 {path}（{reason}）：请用有权限的账户运行，或请管理员检查权限。这不说明数据库有损坏。",
        "No permission to read the database {path} ({reason}): run as an account that may, or ask the "
        "administrator to check the permissions. This says nothing of damage.",
    ),
    "check.not_a_database": (
        "{path} 不是 SQLite 数据库文件（文件头不对）：--db 是否指错了文件？若确是本站的数据库，则已损坏，"
        "请从备份恢复（clerk restore 备份文件）。",
        "{path} is not an SQLite database file (wrong header): does --db name the right file? If it is "
        "this station's database, it is damaged: restore a backup (clerk restore FILE).",
    ),
    "check.locked": (
        "数据库 {path} 正被其他程序独占，暂时无法检查：请稍后再试。",
        "The database {path} is held by another program and cannot be checked now: try again shortly.",
    ),
    "check.read_only_unreadable": (
        "数据库 {path} 所在文件夹只读，且还有未并入数据库的日志（-wal 文件），无法读取：请用有写权限的账户"
        "运行一次 clerk check（会并入日志），再检查权限。",
        "The database {path} is in a read-only folder and its log (-wal file) still holds commits, so it "
        "cannot be read: run clerk check once as an account that may write there (the log is merged), "
        "then check the permissions.",
    ),
    "check.read_only": (
        "数据库 {path} 只能读取、不能写入（{why}）：可以查看和出报表，但取号、登记、合并都无法保存。请检查权限。",
        "The database {path} can be read but not written ({why}): it can be viewed and reported on, but "
        "no ticket, case or merge can be saved. Check the permissions.",
    ),
    "check.read_only.file": ("文件只读", "the file is read-only"),
    "check.read_only.folder": ("所在文件夹只读", "its folder is read-only"),
    "check.read_only.disk": ("磁盘只读", "the disk is read-only"),
    "check.centre_foreign_keys": (
        "有 {count} 条记录引用了中心没有的记录（{tables}）：可能缺少某站点的数据包（clerk merge 会列出缺少的批次），"
        "或数据库被改动过",
        "{count} reference(s) point at records the centre does not hold ({tables}): a station's bundle "
        "may be missing (clerk merge lists missing bundles), or the database was altered",
    ),
    # the centre's merge
    "merge.storage_failed": (
        "{file} 未合并，中心数据库未改动：{reason} 处理好后再次运行同一条 clerk merge 即可，已合并的包不会重复合并。",
        "{file} was not merged and the centre database is unchanged: {reason} Once fixed, run the same "
        "clerk merge again; bundles already merged are not merged twice.",
    ),
    # numbers out of range in imported files
    "catalog.out_of_range": (
        "数值 {value} 超出范围（应在 {low} 到 {high} 之间）",
        "{value} is out of range (from {low} to {high})",
    ),
    "appointments.slot_out_of_range": (
        "时段 {value} 不在 {first}–{last} 年之内",
        "slot {value} is outside the years {first}–{last}",
    ),
    "calendar.file_year_out_of_range": (
        "日历文件 years 中的 {value} 不在 {first}–{last} 年之内",
        "Calendar file: {value} in years is outside {first}–{last}",
    ),
}
