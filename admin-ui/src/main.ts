import 'element-plus/dist/index.css';
import './styles/cards.css';
import { createAdminApp } from './app';

const { app } = createAdminApp();
app.mount('#app');
