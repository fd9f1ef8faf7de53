/** Who someone is: email normalisation, free-mail domains, bot user agents. */
package dev.kindling.engine.identity;
