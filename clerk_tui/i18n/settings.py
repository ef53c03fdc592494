"""Strings of the Settings screen: PIN, USB folder, window, queues, language."""

STRINGS = {
    "settings.title": ("设置", "Settings"),
    "nav.settings": ("设置", "Setup"),
    "settings.key.pin": ("设置PIN", "PIN"),
    "settings.key.folder": ("U盘文件夹", "USB folder"),
    "settings.key.window": ("窗口号", "Window"),
    "settings.key.queues": ("队列", "Queues"),
    "settings.key.language": ("语言", "Language"),
    "settings.key.edit": ("修改", "Change"),
    "settings.row.pin": ("锁屏 PIN", "Lock PIN"),
    "settings.row.folder": ("U盘文件夹", "USB folder"),
    "settings.row.window": ("窗口号", "Window number"),
    "settings.row.queues": ("本窗口叫号队列", "Queues called"),
    "settings.row.language": ("界面语言", "Language"),
    "settings.pin_set": ("已设置", "Set"),
    "settings.pin_none": ("未设置：空闲锁屏未启用", "Not set: the idle lock is off"),
    "settings.folder_none": ("未设置（导出到 {path}）", "Not set (exports go to {path})"),
    "settings.all_queues": ("全部队列", "All queues"),
    "settings.language.zh": ("简体中文", "简体中文 (Chinese)"),
    "settings.language.en": ("English（英文）", "English"),
    "settings.next_start": ("（下次启动生效）", " (from the next start)"),
    "settings.config_file": ("配置文件：{path}", "Config file: {path}"),
    "settings.no_config_file": ("本站没有配置文件（示例站点）：PIN 可设置，其余设置无法保存。",
                                "This station has no config file (the demo): the PIN can be set, the rest "
                                "cannot be saved."),
    "settings.hint": ("↑↓ 选择，Enter 修改；每项修改立即写入配置文件", "↑↓ choose, Enter changes; each change "
                      "is saved to the config file at once"),
    "settings.saved": ("已保存：{what}", "Saved: {what}"),
    "settings.saved_next_start": ("已保存：{what}（下次启动生效）", "Saved: {what} (takes effect at the next start)"),
    "settings.window_title": ("窗口号", "Window number"),
    "settings.window_label": ("本窗口的编号（1 以上的整数）", "This window's number (a whole number from 1)"),
    "settings.queues_title": ("本窗口叫号的队列", "Queues this window calls"),
    "settings.queues_label": ("队列字母，用空格分隔；留空 = 全部队列（{queues}）",
                              "Queue letters separated by spaces; empty = all queues ({queues})"),
    "settings.pin_hint": ("尚未设置锁屏 PIN，离开窗口时屏幕不会锁定：按 {letter} 进入设置，再按 p 设置 PIN。",
                          "No lock PIN yet, so the screen cannot lock while you are away: press {letter} for "
                          "Settings, then p to set one."),
    # the PIN dialog
    "pin.dialog_title": ("设置锁屏 PIN", "Set the lock PIN"),
    "pin.old": ("当前 PIN", "Current PIN"),
    "pin.new": ("新的 PIN（至少 {n} 位数字）", "New PIN (at least {n} digits)"),
    "pin.again": ("再输入一次新的 PIN", "The new PIN again"),
    "pin.wrong_old": ("当前 PIN 不正确，PIN 未修改", "The current PIN is wrong; the PIN was not changed"),
    "pin.changed": ("PIN 已设置：空闲 {minutes} 分钟后锁屏，Ctrl+L 随时锁屏", "PIN set: the screen locks after "
                    "{minutes} idle minutes, Ctrl+L locks at once"),
}
