"""Strings of the ticket queue, the calling board and the kiosk."""

STRINGS = {
    "ticket.unknown_queue": ("没有队列 {queue}（请检查配置中的 [[queues]]）", "There is no queue {queue} (see [[queues]] in the config)"),
    "ticket.appointment_needs_time": ("预约号必须填写预约时段", "An appointment ticket needs its slot time"),
    "ticket.day_full": ("队列 {queue} 今日号码已满（{max}）", "Queue {queue} has used all {max} numbers today"),
    "priority.normal": ("普通", "Normal"),
    "priority.green": ("绿色通道", "Green channel"),
    "priority.appointment": ("预约", "Appointment"),
}
