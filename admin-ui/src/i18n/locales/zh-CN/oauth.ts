// The OIDC provider's pages for people (issue 15): sign-in for an app, the consent page, the authorized apps on /account.
const oauth = {
  oauth: {
    signIn: {
      continue: '登录以继续',
      continueTo: '登录以继续使用 {app}',
      continuing: '正在返回应用…',
      continuingTo: '正在返回 {app}…',
      failedHint: '请重试；仍不行的话，回到该应用重新登录。',
    },
    errors: {
      continueFailed: '无法继续该应用的登录',
      requestExpired: '这个登录请求已失效，请回到该应用重新登录。',
    },
    consent: {
      pageTitle: '授权',
      title: '{app} 想要访问你的账号',
      signedInAs: '当前账号：{name}',
      willSee: '授权后，{app} 将可以：',
      allow: '允许',
      deny: '拒绝',
      loading: '正在读取应用信息…',
      loadFailed: '无法读取这个应用的信息',
      unnamedApp: '一个应用',
      logoAlt: '{app} 的图标',
      leavingAllow: '已允许，正在返回 {app}…',
      leavingDeny: '已拒绝，正在返回 {app}…',
      submitFailed: '未能提交你的选择',
      noRequest: '这里没有待处理的授权请求。请回到应用重新登录。',
      backNote: '无论允许还是拒绝，你都会回到 {app}。以后可以在“我的账号”里撤销授权。',
      otherScope: '其他权限：{scope}',
      scopes: {
        openid: '确认是你（获得你的账号标识）',
        profile: '查看你的名字、头像和用户名',
        email: '查看你的邮箱地址（如果你设置了）',
        offline_access: '在你离开后继续访问（保持登录）',
        wechat: '获得你的微信标识（openid 和 unionid）',
      },
    },
    authorizedApps: {
      title: '已授权的应用',
      intro: '这些应用可以用你的账号登录。撤销后，应用的登录状态立即失效，下次需要重新授权。',
      empty: '你还没有授权任何应用',
      loadFailed: '已授权的应用加载失败',
      authorizedAt: '授权于 {time}',
      revoke: '撤销',
      revokeLabel: '撤销 {app} 的授权',
      revokeConfirmTitle: '撤销授权',
      revokeConfirm: '撤销 {app} 的授权？它将立即失去访问权限，下次登录时需要重新授权。',
      revoked: '已撤销 {app} 的授权',
      unnamedApp: '未命名应用',
    },
  },
};

export default oauth;
