/** Where the Open API of each cloud lives; a private deployment has its own. */
export const FEISHU_BASE_URL = 'https://open.feishu.cn';
export const LARK_BASE_URL = 'https://open.larksuite.com';
