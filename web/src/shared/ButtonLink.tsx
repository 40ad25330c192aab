import { Link, type LinkProps } from 'react-router';

/** A navigation that looks like a Cunningham button (a link, as it goes somewhere, not an action). */
export function ButtonLink({
  color = 'brand',
  variant = 'primary',
  size = 'medium',
  className,
  ...props
}: LinkProps & { color?: 'brand' | 'neutral'; variant?: 'primary' | 'secondary' | 'tertiary'; size?: 'medium' | 'small' }) {
  const classes = ['c__button', `c__button--${color}`, `c__button--${color}--${variant}`, `c__button--${size}`, className].filter(Boolean).join(' ');
  return <Link className={classes} {...props} />;
}
