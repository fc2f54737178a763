import 'switchyard-example-assets/switchyard.css';

export const metadata = { title: 'Switchyard chat · Next.js', icons: { icon: '/assets/favicon.svg' } };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
