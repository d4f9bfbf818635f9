import { render, screen } from '@testing-library/react';
import Link from 'next/link';
import { AllInPrice } from './all-in-price';

describe('the all-in price', () => {
  it('leads with the total a buyer pays and says the fees it includes beside it', () => {
    const ticket = { price: 40, fee: 5.5, total: 45.5 };

    render(<AllInPrice amount={ticket} testId="price" />);

    const price = screen.getByTestId('price');
    expect(price).toHaveTextContent(/^\$45\.50 incl\. \$5\.50 fees$/);
    expect(screen.queryByText('$40.00')).not.toBeInTheDocument();
  });

  it.each(['lg', 'md', 'sm', 'inline'] as const)(
    'sets the fees smaller than the total, never the other way round (%s)',
    (size) => {
      render(<AllInPrice amount={{ total: 45.5, fee: 5.5 }} size={size} />);

      const fees = screen.getByText('incl. $5.50 fees');
      expect(fees.className).toMatch(/\b(small|fs-6)\b/);
      expect(screen.getByText('$45.50').className).not.toMatch(/\bsmall\b/);
    },
  );

  it('says "incl. fees" for a lowest total whose fee is not known', () => {
    render(<AllInPrice amount={{ total: 23.5 }} size="inline" testId="from" />);

    expect(screen.getByTestId('from')).toHaveTextContent(/^\$23\.50 incl\. fees$/);
  });

  it('links the total alone when asked, the fees beside the link', () => {
    render(
      <AllInPrice
        amount={{ total: 45.5, fee: 5.5 }}
        renderTotal={(total) => <Link href="/tickets/t1">{total}</Link>}
      />,
    );

    expect(screen.getByRole('link')).toHaveTextContent(/^\$45\.50$/);
    expect(screen.getByText('incl. $5.50 fees')).toBeInTheDocument();
  });
});
