import type zhCNProfile from '../zh-CN/profile';
import type { profileErrors as zhCNProfileErrors } from '../zh-CN/profile';

const profile: typeof zhCNProfile = {
  profile: {
    welcome: {
      title: 'Welcome! Complete your profile',
      intro: 'WeChat no longer gives websites your nickname or avatar. Choose a display name and upload a picture so people recognise you.',
      introFilledFromWechat: 'We filled in your WeChat nickname and avatar: keep them or change them.',
      name: 'Display name',
      namePlaceholder: 'e.g. Alex',
      avatar: 'Avatar',
      save: 'Save',
      skip: 'Skip for now',
      skipHint: 'You can change this later under "My account".',
      saved: 'Profile saved',
      loadFailed: 'Could not read your profile',
    },
    name: {
      required: 'Enter a display name',
      tooLong: 'A display name has at most {max} characters',
      invalid: 'A display name cannot contain control characters',
    },
    avatar: {
      choose: 'Choose an image',
      change: 'Change avatar',
      remove: 'Not this one',
      hint: 'PNG, JPEG, WebP or GIF, up to {size}',
      wrongType: 'Only PNG, JPEG, WebP or GIF images can be uploaded',
      tooLarge: 'The image is too large: at most {size}',
      changed: 'Avatar updated',
      previewAlt: 'Avatar preview',
    },
    admin: {
      profile: 'Profile',
      completed: 'Completed',
      notCompleted: 'Not completed',
      completedAt: 'Profile completed',
      filterProfile: 'Profile',
      anyProfile: 'any',
      onlyCompleted: 'Profile completed',
      onlyNotCompleted: 'Profile not completed',
    },
  },
};

export const profileErrors: typeof zhCNProfileErrors = {
  INVALID_PROFILE: 'That display name is not allowed',
  EMPTY_AVATAR: 'No image arrived. Choose it again.',
  AVATAR_TOO_LARGE: 'The image is too large. Choose a smaller one.',
  UNSUPPORTED_AVATAR_TYPE: 'Only PNG, JPEG, WebP or GIF images can be uploaded',
  AVATAR_NOT_FOUND: 'This avatar no longer exists',
  INVALID_ORIGIN: 'The request came from a page this site does not trust and was refused',
  MISSING_OR_NULL_ORIGIN: 'The request came from a page this site does not trust and was refused',
};

export default profile;
