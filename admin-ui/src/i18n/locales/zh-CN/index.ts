import type { ApiErrorCode } from '@wechat-login/shared';
import account from './account';
import activity from './activity';
import admin from './admin';
import errors from './errors';
import profile, { profileErrors } from './profile';
import applications, { applicationErrors } from './applications';
import oauth from './oauth';

// The source of truth for message keys: every other locale is typed against this one.
const zhCN = {
  app: {
    name: '微信扫码登录',
    language: '语言',
  },
  nav: {
    account: '我的账号',
    users: '用户管理',
    signOut: '退出登录',
  },
  common: {
    save: '保存',
    cancel: '取消',
    confirm: '确定',
    edit: '编辑',
    retry: '重试',
    reset: '重置',
    actions: '操作',
    yes: '是',
    no: '否',
    notSet: '未设置',
    close: '关闭',
    showPassword: '显示密码',
    hidePassword: '隐藏密码',
  },
  signIn: {
    title: '登录',
    byUsername: '用户名登录',
    byEmail: '邮箱登录',
    username: '用户名',
    email: '邮箱',
    password: '密码',
    submit: '登录',
    usernameRequired: '请输入用户名',
    emailRequired: '请输入邮箱',
    emailInvalid: '邮箱格式不正确',
    passwordRequired: '请输入密码',
    wechatTitle: '微信扫码登录',
    wechatOneTapTitle: '微信登录',
    wechatReturnFailed: '微信登录没有完成',
    passwordTitle: '账号密码登录',
    wechatDisabled: '本站未启用微信登录，请使用账号密码登录。',
  },
  roles: {
    admin: '管理员',
    user: '普通用户',
  },
  signInMethods: {
    wechat: '微信',
    username: '用户名',
    email: '邮箱',
  },
  forbidden: {
    title: '403 无权访问',
    description: '你的账号没有访问此页面的权限。',
    home: '返回首页',
  },
  notFound: {
    title: '404 页面不存在',
    description: '你访问的页面不存在或已被移除。',
    home: '返回首页',
  },
  ...account,
  ...admin,
  ...activity,
  ...profile,
  ...applications,
  ...oauth,
  // Every code the server can answer with has a message (and so, through MessageSchema, an English one).
  errors: { ...errors, ...profileErrors, ...applicationErrors } satisfies Record<ApiErrorCode, string>,
};

export default zhCN;
export type MessageSchema = typeof zhCN;
