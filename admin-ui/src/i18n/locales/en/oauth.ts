import type zhCNOauth from '../zh-CN/oauth';

const oauth: typeof zhCNOauth = {
  oauth: {
    signIn: {
      continue: 'Sign in to continue',
      continueTo: 'Sign in to continue to {app}',
      continuing: 'Going back to the app…',
      continuingTo: 'Going back to {app}…',
      failedHint: 'Try again; if it still fails, go back to the app and sign in from there.',
    },
    errors: {
      continueFailed: 'Could not continue signing in to the app',
      requestExpired: 'This sign-in request is no longer valid. Go back to the app and sign in again.',
    },
    consent: {
      pageTitle: 'Authorize',
      title: '{app} wants to access your account',
      signedInAs: 'Signed in as {name}',
      willSee: 'If you allow it, {app} will be able to:',
      allow: 'Allow',
      deny: 'Deny',
      loading: 'Loading the app…',
      loadFailed: 'Could not load this app',
      unnamedApp: 'An app',
      logoAlt: '{app} logo',
      leavingAllow: 'Allowed. Going back to {app}…',
      leavingDeny: 'Denied. Going back to {app}…',
      submitFailed: 'Your choice could not be sent',
      noRequest: 'There is no authorization request here. Go back to the app and sign in again.',
      backNote: 'Either way you go back to {app}. You can revoke access later on your account page.',
      otherScope: 'Other permission: {scope}',
      scopes: {
        openid: 'Know it is you (an identifier for your account)',
        profile: 'See your name, avatar and username',
        email: 'See your email address (if you set one)',
        offline_access: 'Keep access while you are away (stay signed in)',
        wechat: 'See your WeChat identifiers (openid and unionid)',
      },
    },
    authorizedApps: {
      title: 'Authorized apps',
      intro: 'These apps can sign you in with your account. Revoking ends their access at once; they must ask again next time.',
      empty: 'You have not authorized any apps',
      loadFailed: 'Could not load your authorized apps',
      authorizedAt: 'Authorized {time}',
      revoke: 'Revoke',
      revokeLabel: 'Revoke access of {app}',
      revokeConfirmTitle: 'Revoke access',
      revokeConfirm: 'Revoke access of {app}? It loses access at once and must ask you again next time.',
      revoked: 'Revoked access of {app}',
      unnamedApp: 'Unnamed app',
    },
  },
};

export default oauth;
