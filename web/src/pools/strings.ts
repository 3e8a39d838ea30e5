import type { Strings } from "../i18n/index.ts";

export const strings: Strings = {
  en: {
    "pools.open": "Coupon pools",
    "pools.title": "Coupon pools",
    "pools.intro":
      "Codes a coupon reward hands out, one each, in the order they were imported. Import a CSV with a “code” " +
      "column, one code per line, or a JSON array of codes; codes the pool already has are skipped.",
    "pools.list": "Pools ({{count}})",
    "pools.none": "No pool yet.",
    "pools.pool": "Pool",
    "pools.codes": "Codes",
    "pools.handed": "Handed out",
    "pools.remaining": "Remaining",
    "pools.import": "Import codes",
    "pools.name": "Pool name",
    "pools.name.help": "As the reward's coupon names it: letters, digits, “_” or “-”.",
    "pools.file": "File",
    "pools.submit": "Import",
    "pools.needName": "Name the pool: 1-64 letters, digits, “_” or “-”.",
    "pools.needFile": "Choose a file of codes.",
    "pools.imported": "{{pool}}: {{added}} codes added, {{duplicates}} duplicates skipped; {{remaining}} remaining.",
    "pools.issues": "Nothing was imported. The file's problems:",
    "pools.engineDown": "The engine, which keeps the coupon pools, cannot be reached now. Try again in a moment.",
  },
  "zh-CN": {
    "pools.open": "券码池",
    "pools.title": "优惠券券码池",
    "pools.intro":
      "优惠券奖励按导入顺序每人发放一个券码。可导入带“code”列的 CSV、每行一个券码的文本或券码 JSON 数组；池中已有的券码会跳过。",
    "pools.list": "券码池（{{count}}）",
    "pools.none": "还没有券码池。",
    "pools.pool": "券码池",
    "pools.codes": "券码数",
    "pools.handed": "已发放",
    "pools.remaining": "剩余",
    "pools.import": "导入券码",
    "pools.name": "券码池名称",
    "pools.name.help": "与奖励中优惠券的券码池名称一致：字母、数字、“_”或“-”。",
    "pools.file": "文件",
    "pools.submit": "导入",
    "pools.needName": "请填写券码池名称：1-64 个字母、数字、“_”或“-”。",
    "pools.needFile": "请选择券码文件。",
    "pools.imported": "{{pool}}：新增 {{added}} 个券码，跳过重复 {{duplicates}} 个；剩余 {{remaining}} 个。",
    "pools.issues": "未导入任何券码。文件中的问题：",
    "pools.engineDown": "暂时无法连接保存券码池的引擎，请稍后再试。",
  },
};
