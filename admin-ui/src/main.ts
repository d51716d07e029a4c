import 'element-plus/dist/index.css';
import { createAdminApp } from './app';

const { app } = createAdminApp();
app.mount('#app');
