import type { Strings } from "./index.ts";

export const strings: Strings = {
  en: {
    "app.title": "Lifeloop",
    "app.journeys": "Journeys",
    "app.language": "Language",
    "app.signIn": "Sign in",
    "app.signIn.help": "Paste an API key. `npm start` prints an editor link that signs you in.",
    "app.signIn.key": "API key",
    "app.signOut": "Sign out",
    "app.loading": "Loading…",
    "app.error": "Something went wrong",
    "app.retry": "Retry",
    "app.reload": "Reload the page",
    "app.close": "Close",
    "app.cancel": "Cancel",
  },
  "zh-CN": {
    "app.title": "Lifeloop",
    "app.journeys": "旅程",
    "app.language": "语言",
    "app.signIn": "登录",
    "app.signIn.help": "粘贴 API 密钥。`npm start` 会打印一个可直接登录的编辑器链接。",
    "app.signIn.key": "API 密钥",
    "app.signOut": "退出",
    "app.loading": "加载中…",
    "app.error": "出错了",
    "app.retry": "重试",
    "app.reload": "重新加载页面",
    "app.close": "关闭",
    "app.cancel": "取消",
  },
};
