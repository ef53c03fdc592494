"""The papers a window hands over at each outcome (受理通知书, 容缺受理承诺书, 不予受理通知书,
办结/领取通知, 材料接收清单): content from the case, templates a station can adjust,
receipt text and A4 HTML, stored and numbered with the one-time notices."""
