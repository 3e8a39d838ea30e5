import type { Strings } from "../i18n/index.ts";

export const strings: Strings = {
  en: {
    "levels.open": "Growth levels",
    "levels.title": "Growth levels",
    "levels.intro":
      "How people earn experience (xp) from events and which levels it reaches. Journeys trigger on a level " +
      "change (level_changed) and rules read the level's id, rank and xp.",
    "levels.none": "This workspace defines no growth levels (LIFELOOP_LEVELS on the API).",
    "levels.levels": "Levels ({{count}})",
    "levels.name": "Level",
    "levels.id": "Id",
    "levels.threshold": "From (xp)",
    "levels.benefits": "Benefits",
    "levels.noBenefits": "none",
    "levels.rules": "Xp per event ({{count}})",
    "levels.event": "Event",
    "levels.earns": "Earns",
    "levels.cap": "Cap",
    "levels.each": "{{xp}} xp each time",
    "levels.per": "{{xp}} xp per {{per}} of {{prop}}",
    "levels.capOf": "at most {{max}} xp a {{period}}",
    "levels.noCap": "no cap",
    "levels.period.day": "day",
    "levels.period.week": "week",
    "levels.period.month": "month",
    "levels.review": "Review",
    "levels.reviewText":
      "Xp counts over the last {{days}} days ({{timeZone}}). A level goes up as soon as the xp reaches its " +
      "threshold, and down only at the start of each {{period}}, at most once a {{period}}.",
  },
  "zh-CN": {
    "levels.open": "成长等级",
    "levels.title": "成长体系",
    "levels.intro":
      "用户如何从事件中获得经验值、能达到哪些等级。" +
      "等级变化（level_changed）可触发旅程，规则可读取等级、序号和经验值。",
    "levels.none": "本工作区未设置成长等级（API 的 LIFELOOP_LEVELS）。",
    "levels.levels": "等级（{{count}}）",
    "levels.name": "等级",
    "levels.id": "编号",
    "levels.threshold": "门槛（经验值）",
    "levels.benefits": "权益",
    "levels.noBenefits": "无",
    "levels.rules": "经验值规则（{{count}}）",
    "levels.event": "事件",
    "levels.earns": "获得",
    "levels.cap": "上限",
    "levels.each": "每次 {{xp}} 经验值",
    "levels.per": "{{prop}}每 {{per}} 得 {{xp}} 经验值",
    "levels.capOf": "每{{period}}最多 {{max}} 经验值",
    "levels.noCap": "不设上限",
    "levels.period.day": "天",
    "levels.period.week": "周",
    "levels.period.month": "月",
    "levels.review": "评估",
    "levels.reviewText":
      "经验值按最近 {{days}} 天累计（{{timeZone}}）。经验值达到门槛即刻升级；降级只在每{{period}}初评估，每{{period}}最多降级一次。",
  },
};
