import type { ApolloServerPlugin } from '@apollo/server';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../context';

/**
 * Writes what the request read or wrote of citizens' personal data before the response leaves: an access that cannot
 * be recorded is not served (the response becomes an error).
 */
export function usePersonalDataLog(member: string, db: DataSource): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (!contextValue.personalData.size) return;
          try {
            await contextValue.personalData.flush(db.manager, member);
          } catch (error) {
            console.error(JSON.stringify({ level: 'error', msg: 'personal data access log write failed', requestId: contextValue.requestId, error: String(error) }));
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [{ message: 'The access could not be recorded, so the data is not served', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
              };
            }
          }
        },
      };
    },
  };
}
