import { ElMessage } from 'element-plus';
// Called from script, not a template: the on-demand resolver (vite.config.ts) cannot see it, so its CSS comes here.
import 'element-plus/es/components/message/style/css';

/** A refusal shown as Element Plus's toast, for a form without a place of its own to say it. */
export function showErrorToast(message: string): void {
  ElMessage.error(message);
}
