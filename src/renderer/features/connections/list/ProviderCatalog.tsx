import { Globe } from 'lucide-react'
import { Link } from 'react-router'
import { providersByCategory } from '../catalog'
import { categoryIcons } from '../ProviderIcon'
import styles from './ProviderCatalog.module.css'

/** Every provider Bridgekeep knows, by category, each with a way to connect one. */
export function ProviderCatalog({ headingId }: { headingId: string }) {
  return (
    <section className={styles.catalog} aria-labelledby={headingId}>
      <h2 id={headingId} className={styles.heading} tabIndex={-1}>
        Add a connection
      </h2>
      <p className={styles.intro}>
        Pick what to connect. The form asks only for what that provider needs, and says where to
        find each value.
      </p>
      {providersByCategory().map(({ category, providers }) => {
        const Icon = categoryIcons[category] ?? Globe
        const id = `category-${category.toLowerCase().replace(/\W+/g, '-')}`
        return (
          <section key={category} className={styles.category} aria-labelledby={id}>
            <h3 id={id} className={styles.categoryTitle}>
              <Icon aria-hidden="true" className={styles.categoryIcon} />
              {category}
            </h3>
            <ul className={styles.cards}>
              {providers.map((provider) => (
                <li key={provider.id} className={styles.card} data-provider={provider.id}>
                  <span className={styles.cardTitle}>{provider.label}</span>
                  <span className={styles.cardBody}>{provider.description}</span>
                  <Link
                    className={`button small ${styles.connect}`}
                    to={`/connections/new/${provider.id}`}
                  >
                    Connect<span className="visually-hidden"> {provider.label}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        )
      })}
    </section>
  )
}
