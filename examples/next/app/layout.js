export const metadata = { title: 'Switchyard chat' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body style={{ font: '16px/1.4 system-ui, sans-serif', maxWidth: '40rem', margin: '2rem auto' }}>{children}</body>
    </html>
  );
}
