import '@mantine/core/styles.css';
import './app.css';
import { MantineProvider } from '@mantine/core';
import { setNonce } from 'get-nonce';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import type { ReactNode } from 'react';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { Layout } from './components/Layout';
import { SignInPage } from './pages/SignInPage';

// every page but sign-in is its own chunk; the chart library comes with UsageAnalyticsPage only
const AccountBillingPage = lazy(() => import('./pages/AccountBillingPage'));
const PurchaseCreditsPage = lazy(() => import('./pages/PurchaseCreditsPage'));
const UsageAnalyticsPage = lazy(() => import('./pages/UsageAnalyticsPage'));
const AccountSettingsPage = lazy(() => import('./pages/AccountSettingsPage'));
const TeamManagementPage = lazy(() => import('./pages/TeamManagementPage'));
const CustomersPage = lazy(() => import('./pages/sales/CustomersPage'));
const CustomerFormPage = lazy(() => import('./pages/sales/CustomerFormPage'));
const CustomerPage = lazy(() => import('./pages/sales/CustomerPage'));
const InvoicesPage = lazy(() => import('./pages/sales/InvoicesPage'));
const PaymentsPage = lazy(() => import('./pages/sales/PaymentsPage'));
const PackagesPage = lazy(() => import('./pages/sales/PackagesPage'));
const KamsPage = lazy(() => import('./pages/sales/KamsPage'));
const BillingRunsPage = lazy(() => import('./pages/sales/BillingRunsPage'));
const AdminPage = lazy(() => import('./pages/AdminPage'));
const AcceptInvitationPage = lazy(() => import('./pages/AcceptInvitationPage'));

/** Signed-out visitors of any page go to sign-in, and come back to the page after. */
function SignedIn({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  if (!me) return <Navigate to="/signin" replace state={{ from: location.pathname }} />;
  return children;
}

function App() {
  return (
    <Routes>
      <Route path="/signin" element={<SignInPage />} />
      <Route path="/register" element={<SignInPage register />} />
      <Route
        path="/accept"
        element={
          <Suspense fallback={null}>
            <AcceptInvitationPage />
          </Suspense>
        }
      />
      <Route
        element={
          <SignedIn>
            <Layout />
          </SignedIn>
        }
      >
        <Route path="/billing" element={<AccountBillingPage />} />
        <Route path="/billing/credits" element={<PurchaseCreditsPage />} />
        <Route path="/billing/usage" element={<UsageAnalyticsPage />} />
        <Route path="/account/settings" element={<AccountSettingsPage />} />
        <Route path="/account/team" element={<TeamManagementPage />} />
        <Route path="/sales/customers" element={<CustomersPage />} />
        <Route path="/sales/customers/new" element={<CustomerFormPage />} />
        <Route path="/sales/customers/:id/edit" element={<CustomerFormPage />} />
        <Route path="/sales/customers/:id" element={<CustomerPage />} />
        <Route path="/sales/invoices" element={<InvoicesPage />} />
        <Route path="/sales/payments" element={<PaymentsPage />} />
        <Route path="/sales/packages" element={<PackagesPage />} />
        <Route path="/sales/kams" element={<KamsPage />} />
        <Route path="/sales/billing-runs" element={<BillingRunsPage />} />
        <Route path="/admin" element={<AdminPage />} />
        <Route path="*" element={<Navigate to="/billing" replace />} />
      </Route>
    </Routes>
  );
}

/**
 * The nonce the gateway's CSP allows for <style> elements: the component library writes some for
 * responsive props. Styles otherwise come from files only.
 */
const styleNonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
// the modal's scroll lock (react-remove-scroll) writes its <style> with get-nonce's nonce
setNonce(styleNonce);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* theme variables from the stylesheet (src/app.css), not an injected <style> */}
    <MantineProvider
      withCssVariables={false}
      defaultColorScheme="light"
      getStyleNonce={() => styleNonce}
    >
      <BrowserRouter basename="/app">
        <AuthProvider>
          <App />
        </AuthProvider>
      </BrowserRouter>
    </MantineProvider>
  </StrictMode>,
);
