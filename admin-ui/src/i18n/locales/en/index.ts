import type { MessageSchema } from '../zh-CN';
import account from './account';
import activity from './activity';
import admin from './admin';
import errors from './errors';
import profile, { profileErrors } from './profile';
import applications, { applicationErrors } from './applications';
import oauth from './oauth';

const en: MessageSchema = {
  app: {
    name: 'WeChat Login',
    language: 'Language',
  },
  nav: {
    account: 'My account',
    users: 'Users',
    signOut: 'Sign out',
  },
  common: {
    save: 'Save',
    cancel: 'Cancel',
    confirm: 'OK',
    edit: 'Edit',
    retry: 'Retry',
    reset: 'Reset',
    actions: 'Actions',
    yes: 'Yes',
    no: 'No',
    notSet: 'Not set',
    close: 'Close',
    showPassword: 'Show password',
    hidePassword: 'Hide password',
  },
  signIn: {
    title: 'Sign in',
    byUsername: 'Username',
    byEmail: 'Email',
    username: 'Username',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    usernameRequired: 'Enter your username',
    emailRequired: 'Enter your email',
    emailInvalid: 'Enter a valid email address',
    passwordRequired: 'Enter your password',
    wechatTitle: 'Sign in with WeChat',
    wechatOneTapTitle: 'Sign in with WeChat',
    wechatReturnFailed: 'WeChat sign-in did not finish',
    passwordTitle: 'Sign in with a password',
    wechatDisabled: 'WeChat sign-in is not enabled on this site. Sign in with a password.',
  },
  roles: {
    admin: 'Administrator',
    user: 'User',
  },
  signInMethods: {
    wechat: 'WeChat',
    username: 'Username',
    email: 'Email',
  },
  forbidden: {
    title: '403 Forbidden',
    description: 'Your account is not allowed to open this page.',
    home: 'Go home',
  },
  notFound: {
    title: '404 Not found',
    description: 'The page you asked for does not exist or has been removed.',
    home: 'Go home',
  },
  ...account,
  ...admin,
  ...activity,
  ...profile,
  ...applications,
  ...oauth,
  errors: { ...errors, ...profileErrors, ...applicationErrors },
};

export default en;
