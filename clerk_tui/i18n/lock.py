"""Strings of the idle lock and the PIN."""

STRINGS = {
    "lock.key": ("锁屏", "Lock"),
    "lock.locked": ("屏幕已锁定，请输入 PIN 解锁", "Screen locked: type your PIN to unlock"),
    "lock.placeholder": ("PIN", "PIN"),
    "lock.wrong": ("PIN 不正确", "Wrong PIN"),
    "lock.wait": ("尝试次数过多，请 {seconds} 秒后再试", "Too many tries: wait {seconds} seconds"),
    "lock.no_pin": (
        "尚未设置 PIN，无法锁屏：按 {letter} 进入设置，再按 p（或运行 clerk pin）",
        "No PIN set, so the screen cannot lock: {letter} opens Settings, then p (or run clerk pin)",
    ),
    "pin.too_short": ("PIN 须为至少 {n} 位数字", "The PIN must be at least {n} digits"),
    "pin.prompt": ("新的 PIN（数字）", "New PIN (digits)"),
    "pin.set": ("PIN 已设置", "PIN set"),
    "pin.mismatch": ("两次输入不一致", "The two entries differ"),
    "pin.wrong_old_cli": (
        "当前 PIN 不正确，PIN 未修改（忘记 PIN：clerk pin --reset，会记入审计记录）",
        "The current PIN is wrong; the PIN was not changed (forgot it: clerk pin --reset, which is audited)",
    ),
    "pin.reset_done": (
        "PIN 已重设：已记入审计记录，下次启动时会提示",
        "PIN reset: written to the audit trail and shown at the next start",
    ),
    "pin.reset_notice": (
        "锁屏 PIN 已于 {at} 用 clerk pin --reset 重设（未输入原 PIN），已记入审计记录；如非本人所为，请告知负责人",
        "The lock PIN was reset with clerk pin --reset at {at} (without the old PIN) and audited; "
        "if it was not you, tell your supervisor",
    ),
}
