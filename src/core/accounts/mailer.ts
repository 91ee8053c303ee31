/** One message: plain text, as the links in it must survive any client. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail: SMTP in production, `.eml` files under storage/mail with zero configuration. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
