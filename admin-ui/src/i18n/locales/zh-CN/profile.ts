// Profile completion: the welcome page after a first WeChat sign-in, avatars, and the admin's view of both.
const profile = {
  profile: {
    welcome: {
      title: '欢迎！完善一下你的资料',
      intro: '微信不再向网站提供昵称和头像。选一个显示名称，再上传一张头像，别人就能认出你。',
      introFilledFromWechat: '我们已填入你的微信昵称和头像：可以直接保存，也可以修改。',
      name: '显示名称',
      namePlaceholder: '例如：小明',
      avatar: '头像',
      save: '保存',
      skip: '暂时跳过',
      skipHint: '以后可以在“我的账号”里修改。',
      saved: '资料已保存',
      loadFailed: '无法读取你的资料',
    },
    name: {
      required: '请输入显示名称',
      tooLong: '显示名称最多 {max} 个字符',
      invalid: '显示名称不能包含控制字符',
    },
    avatar: {
      choose: '选择图片',
      change: '更换头像',
      remove: '不用这张',
      hint: 'PNG、JPEG、WebP 或 GIF，最大 {size}',
      wrongType: '只能上传 PNG、JPEG、WebP 或 GIF 图片',
      tooLarge: '图片太大：最大 {size}',
      changed: '头像已更新',
      previewAlt: '头像预览',
    },
    admin: {
      profile: '资料',
      completed: '已完善',
      notCompleted: '未完善',
      completedAt: '资料完善于',
      filterProfile: '资料',
      anyProfile: '全部',
      onlyCompleted: '资料已完善',
      onlyNotCompleted: '资料未完善',
    },
  },
};

/** Messages for the codes of the profile routes; merged into `errors` by the locale index. */
export const profileErrors = {
  INVALID_PROFILE: '显示名称不符合要求',
  EMPTY_AVATAR: '没有收到图片，请重新选择',
  AVATAR_TOO_LARGE: '图片太大，请换一张小一点的',
  UNSUPPORTED_AVATAR_TYPE: '只能上传 PNG、JPEG、WebP 或 GIF 图片',
  AVATAR_NOT_FOUND: '找不到这张头像',
  INVALID_ORIGIN: '请求来自不受信任的页面，已拒绝',
  MISSING_OR_NULL_ORIGIN: '请求来自不受信任的页面，已拒绝',
};

export default profile;
