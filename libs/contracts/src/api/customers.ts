/** Request and response schemas of the customers service (seed 002 CUSTOMERS, PACKAGE, UTILITY). */
export {};
