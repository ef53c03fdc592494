"""Keys, signatures and encryption of sync (issue 17): the station's and the centre's."""

STRINGS = {
    "keys.file_missing": ("找不到密钥文件 {path}", "Key file {path} not found"),
    "keys.file_unreadable": ("无法读取密钥文件 {path}：{reason}", "Cannot read key file {path}: {reason}"),
    "keys.file_bad": ("{path} 不是有效的{what}文件：{reason}", "{path} is not a valid {what} file: {reason}"),
    "keys.write_failed": ("无法写入 {path}：{reason}", "Cannot write {path}: {reason}"),
    "keys.station_key": (
        "站点 {station} 的签名公钥，指纹 {fingerprint}：",
        "Station {station} signing key, fingerprint {fingerprint}:",
    ),
    "keys.exported": (
        "已写入公钥文件 {path}（指纹 {fingerprint}）",
        "Wrote public key file {path} (fingerprint {fingerprint})",
    ),
    "keys.rotating": (
        "已生成新签名密钥（指纹 {fingerprint}）：之后的数据包用旧密钥签名并告知中心；收到中心回执后改用新密钥。",
        "Made a new signing key (fingerprint {fingerprint}): the next bundles announce it, signed by the "
        "current key; the station switches once the centre's receipt says it is enrolled.",
    ),
    "keys.centre_ready": (
        "中心密钥位于 {folder}，指纹 {fingerprint}（请各站点导入时核对）",
        "The centre's keys are in {folder}, fingerprint {fingerprint} (stations compare it when importing)",
    ),
    "keys.no_centre_keys": (
        "本机还没有中心密钥（{folder}）：请先运行 clerk centre init。未合并任何数据。",
        "This PC has no centre keys yet ({folder}): run clerk centre init first. Nothing was merged.",
    ),
    "keys.enrolled": (
        "已登记站点 {station} 的密钥，指纹 {fingerprint}",
        "Enrolled station {station}, key fingerprint {fingerprint}",
    ),
    "keys.revoked": ("已吊销站点 {station} 的密钥 {fingerprint}", "Revoked station {station}'s key {fingerprint}"),
    "keys.not_enrolled": ("没有登记为 {who} 的站点或密钥", "No station or key enrolled as {who}"),
    "keys.key_of_other_station": (
        "该密钥（{fingerprint}）已登记给站点 {station}，不能再登记给其他站点",
        "This key ({fingerprint}) is enrolled for station {station}; it cannot be enrolled for another",
    ),
    "keys.key_revoked": (
        "该密钥（{fingerprint}）已被吊销，不能重新登记给站点 {station}：请站点生成新密钥",
        "This key ({fingerprint}) was revoked; it cannot be enrolled again for {station}: the station makes a new key",
    ),
    "keys.station_has_key": (
        "站点 {station} 已有有效密钥 {fingerprint}：换用新密钥请在站点运行 clerk key rotate，或先吊销旧密钥",
        "Station {station} already has an active key {fingerprint}: rotate it at the station (clerk key rotate) "
        "or revoke the old key first",
    ),
    "keys.status.active": ("有效", "active"),
    "keys.status.retired": ("已轮换", "retired"),
    "keys.status.revoked": ("已吊销", "revoked"),
    "keys.signed": ("已签名：{path}", "Signed: {path}"),
    "keys.centre_fingerprint": ("中心公钥指纹：{fingerprint}", "The centre's key fingerprint: {fingerprint}"),
    "keys.confirm_fingerprint": (
        "请与中心电话核对该指纹。一致吗？",
        "Compare this fingerprint with the centre over the phone. Does it match?",
    ),
    "keys.centre_imported": (
        "已导入中心公钥（指纹 {fingerprint}）：今后的数据包只有中心能读取，中心发回的文件须有中心签名。",
        "Imported the centre's key (fingerprint {fingerprint}): bundles are now readable only by the centre, "
        "and files from the centre must carry its signature.",
    ),
    "keys.no_centre_key": (
        "尚未导入中心公钥（clerk import centre-key 文件）：无法确认该文件来自中心，未导入。",
        "The centre's key is not imported yet (clerk import centre-key FILE): this file cannot be checked "
        "as the centre's; nothing was imported.",
    ),
    "keys.unsigned_file": (
        "{path} 没有中心签名（缺少 {path}.sig），未导入。",
        "{path} carries no signature of the centre ({path}.sig is missing); nothing was imported.",
    ),
    "keys.bad_file_signature": (
        "{path} 的签名与文件内容不符（文件被改动过），未导入。",
        "The signature of {path} does not match its content (the file was altered); nothing was imported.",
    ),
    "keys.foreign_file_signature": (
        "{path} 不是本站导入的中心签名的（签名者指纹 {fingerprint}），未导入。",
        "{path} is signed by someone other than the centre this station knows (fingerprint {fingerprint}); "
        "nothing was imported.",
    ),
    # merge refusals (the bundle whole)
    "sync.unsigned": (
        "数据包没有站点签名（站点 {station}），整包拒收：请站点用新版程序重新导出。",
        "The bundle is not signed (station {station}); rejected whole: the station exports again with this version.",
    ),
    "sync.bad_signature": (
        "数据包签名无效（清单被改动或签名被截断），整包拒收。",
        "The bundle's signature is invalid (its manifest was altered or the signature cut); rejected whole.",
    ),
    "sync.signer_unknown": (
        "数据包由未登记的密钥签名（指纹 {fingerprint}，自称站点 {station}），整包拒收：先登记该站点（clerk centre enrol）。",
        "The bundle is signed by a key not enrolled (fingerprint {fingerprint}, claiming station {station}); "
        "rejected whole: enrol the station first (clerk centre enrol).",
    ),
    "sync.signer_revoked": (
        "数据包由已吊销的密钥签名（指纹 {fingerprint}，站点 {station}），整包拒收。",
        "The bundle is signed by a revoked key (fingerprint {fingerprint}, station {station}); rejected whole.",
    ),
    "sync.signer_retired": (
        "数据包由已轮换下来的旧密钥签名（指纹 {fingerprint}，站点 {station}），整包拒收。",
        "The bundle is signed by a key replaced in a rotation (fingerprint {fingerprint}, station {station}); "
        "rejected whole.",
    ),
    "sync.signer_other_station": (
        "数据包自称站点 {station}，但签名密钥（{fingerprint}）登记给站点 {enrolled}，整包拒收。",
        "The bundle names station {station} but its key ({fingerprint}) is enrolled for station {enrolled}; "
        "rejected whole.",
    ),
    "sync.not_encrypted": (
        "站点 {station} 的数据包未加密（站点尚未导入中心公钥），整包拒收：请站点导入中心公钥后重新导出，"
        "或在中心配置 [sync] accept_unencrypted。",
        "Station {station}'s bundle is not encrypted (the station has not imported the centre's key); rejected "
        "whole: import the centre's key at the station and export again, or set [sync] accept_unencrypted.",
    ),
    "sync.other_centre": (
        "数据包是加密给另一个中心密钥的（指纹 {fingerprint}），本中心无法读取，整包拒收。",
        "The bundle is encrypted to another centre key (fingerprint {fingerprint}); this centre cannot read it; "
        "rejected whole.",
    ),
    "sync.decrypt_failed": (
        "数据包 {member} 无法解密（内容被改动或截断），整包拒收。",
        "{member} of the bundle does not decrypt (altered or cut short); rejected whole.",
    ),
    "sync.not_opened": ("数据包 {member} 尚未解密", "{member} of the bundle was not opened"),
    "sync.replayed_seq": (
        "站点 {station} 的第 {seq} 批已合并过不同内容：这是重放的旧包或被改动的包，整包拒收。",
        "Bundle {seq} of station {station} was merged before with other content: a replay or an altered bundle; "
        "rejected whole.",
    ),
    "sync.foreign_record": (
        "数据包 {member} 中的记录 {id} 属于站点 {owner}，而数据包来自站点 {station}，整包拒收。",
        "Record {id} in {member} belongs to station {owner}, but the bundle comes from station {station}; "
        "rejected whole.",
    ),
    "sync.bundle_not_a_file": (
        "{path} 不是普通文件（设备、管道或文件夹），未读取。",
        "{path} is not a regular file (a device, a pipe or a folder); not read.",
    ),
    "sync.bundle_too_large": (
        "{path} 超过数据包大小上限，未读取。",
        "{path} is larger than any bundle may be; not read.",
    ),
    "sync.exported_clear": (
        "注意：本站尚未导入中心公钥，此数据包未加密，U盘上的身份证号等信息为明文！请尽快导入中心公钥（clerk import centre-key）。",
        "WARNING: this station has not imported the centre's key, so this bundle is NOT encrypted: ID numbers "
        "are readable on the stick! Import the centre's key soon (clerk import centre-key).",
    ),
    "sync.exported_csv": (
        "注意：数据包中附有明文 CSV 副本（含个人信息），请妥善保管U盘。",
        "WARNING: the bundle carries clear-text CSV copies (personal data); keep the stick safe.",
    ),
    "merge.csv_written": ("已写出 CSV 副本：{path}", "CSV copies written: {path}"),
    "sync.csv_failed": ("无法写出 CSV 副本到 {path}：{reason}", "Cannot write the CSV copies to {path}: {reason}"),
    "restore.key_restored": ("已恢复密钥文件 {path}", "Key file restored: {path}"),
    # help of the key and centre commands (clerk --help in Chinese)
    "cli.cmd.import.centre-key": (
        "导入中心的公钥（一次）：此后数据包加密给中心，中心发回的文件必须带有中心的签名。",
        "Import the centre's public key once: bundles are then encrypted to it, and what comes back "
        "from the centre must carry its signature.",
    ),
    "cli.cmd.key": (
        "本站点的签名密钥：查看、导出给中心、更换。",
        "This station's signing key: show it, export it for the centre, rotate it.",
    ),
    "cli.cmd.key.show": (
        "显示本站点的公钥及其指纹（可通过电话读给中心核对）。",
        "Print this station's public key and its fingerprint (read it to the centre over the phone).",
    ),
    "cli.cmd.key.export": (
        "写出本站点的公钥文件，供中心登记（clerk centre enrol 文件）。",
        "Write this station's public key file for the centre to enrol (clerk centre enrol FILE).",
    ),
    "cli.cmd.key.rotate": (
        "生成新的签名密钥：此后的数据包用当前密钥签名并告知新密钥，中心回执确认登记后站点改用新密钥。",
        "Make a new signing key: the next bundles announce it, signed by the current key, and the "
        "station switches to it when the centre's receipt says it is enrolled.",
    ),
    "cli.cmd.centre": ("中心的密钥及已登记站点名册。", "The centre's keys and its registry of enrolled stations."),
    "cli.cmd.centre.init": (
        "生成中心的签名密钥和加密密钥（只需一次；已有则保留）。",
        "Make the centre's signing and encryption keys (once; kept if they exist).",
    ),
    "cli.cmd.centre.export-key": (
        "写出中心的公钥文件，每个站点导入一次（clerk import centre-key）。",
        "Write the centre's public key file, which every station imports once (clerk import centre-key).",
    ),
    "cli.cmd.centre.enrol": (
        "登记站点的密钥：此后由该密钥签名、属于该站点的数据包才会被合并。",
        "Enrol a station's key: bundles signed by it, for that station, are merged from now on.",
    ),
    "cli.cmd.centre.revoke": (
        "吊销密钥（U盘丢失、电脑被盗）：由这些密钥签名的内容不再合并。",
        "Revoke keys (a lost stick, a stolen PC): nothing signed by them is merged any more.",
    ),
    "cli.cmd.centre.stations": ("列出已登记的站点及其密钥。", "List the enrolled stations and their keys."),
    "cli.cmd.centre.sign": (
        "为发给站点的文件签名（在每个文件旁写出 文件.sig）：站点只导入中心签过名的文件。",
        "Sign files for the stations (FILE.sig beside each): they import only what the centre signed.",
    ),
}
