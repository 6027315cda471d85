import { createAuthGuard } from '@grantflow/vue';
import { createRouter, createWebHistory } from 'vue-router';
import AppointmentsPage from './pages/AppointmentsPage.vue';
import CallbackPage from './pages/CallbackPage.vue';
import HomePage from './pages/HomePage.vue';
import LoginPage from './pages/LoginPage.vue';
import ProfilePage from './pages/ProfilePage.vue';

export function createDemoRouter() {
  const requireAuth = createAuthGuard();
  return createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', name: 'home', component: HomePage, meta: { title: 'Home' } },
      { path: '/callback', name: 'callback', component: CallbackPage, meta: { title: 'Signing in' } },
      // Invitation links (Auth0 Organizations) arrive here.
      { path: '/login', name: 'login', component: LoginPage, meta: { title: 'Sign in' } },
      {
        path: '/profile',
        name: 'profile',
        component: ProfilePage,
        beforeEnter: requireAuth,
        meta: { title: 'Profile', requiresAuth: true },
      },
      {
        path: '/appointments',
        name: 'appointments',
        component: AppointmentsPage,
        beforeEnter: requireAuth,
        meta: { title: 'Appointments', requiresAuth: true },
      },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  });
}
