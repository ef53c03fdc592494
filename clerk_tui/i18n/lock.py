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
}
